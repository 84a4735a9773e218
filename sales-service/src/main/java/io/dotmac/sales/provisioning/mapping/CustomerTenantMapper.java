package io.dotmac.sales.provisioning.mapping;

import io.dotmac.sales.provisioning.CustomerTenant;
import io.dotmac.sales.provisioning.CustomerTenantService.StatusChange;
import io.dotmac.sales.provisioning.CustomerTenantService.TenantOfQuote;
import io.dotmac.sales.provisioning.rest.TenantStatusChangeDto;
import io.dotmac.sales.provisioning.rest.TenantStatusDto;
import java.util.List;

/** Customer tenants, and changes to them, into their API form. */
public final class CustomerTenantMapper {

    private CustomerTenantMapper() {
    }

    public static TenantStatusDto toDto(TenantOfQuote current) {
        CustomerTenant tenant = current.tenant();
        if (tenant == null) {
            return new TenantStatusDto(current.order().quoteId, current.order().id, null, null, null, null);
        }
        return new TenantStatusDto(current.order().quoteId, current.order().id, tenant.slug, tenant.status,
                List.copyOf(tenant.holds.keySet()), tenant.suspendedAt);
    }

    public static TenantStatusChangeDto toDto(StatusChange change) {
        return new TenantStatusChangeDto(toDto(change.current()), change.changed());
    }
}
