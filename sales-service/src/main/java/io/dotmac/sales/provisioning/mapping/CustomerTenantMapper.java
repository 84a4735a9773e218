package io.dotmac.sales.provisioning.mapping;

import io.dotmac.sales.provisioning.CustomerTenantService.StatusChange;
import io.dotmac.sales.provisioning.rest.TenantStatusDto;

/** Customer tenants' status changes into their API form. */
public final class CustomerTenantMapper {

    private CustomerTenantMapper() {
    }

    public static TenantStatusDto toDto(StatusChange change) {
        return new TenantStatusDto(change.order().quoteId, change.order().id, change.tenant().slug, change.tenant().status,
                change.tenant().suspendedAt, change.tenant().suspensionReason, change.changed());
    }
}
