package io.dotmac.sales.client;

import io.dotmac.common.client.Downstream;
import io.dotmac.common.rest.Page;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The license keys licensing-service issued for what a quote bought, read when a customer's
 * platform is provisioned so that its services find their keys there. licensing-service owns
 * licenses and lists them per customer (the organization slug), newest first; those of the quote
 * are kept, a revoked one left out, the newest per product when a product has several. Read with
 * the token of whoever processes the order ({@link Downstream}); licensing down or slow is a 503.
 */
@ApplicationScoped
public class CustomerLicenses {

    private static final int PAGE_SIZE = 100;

    private final LicensingRestClient rest;

    CustomerLicenses(@RestClient LicensingRestClient rest) {
        this.rest = rest;
    }

    /** Product code to license key, of the licenses issued to {@code customerId} for quote {@code quoteId}. */
    public Uni<Map<String, String>> keys(String customerId, String quoteId, String authorization) {
        return all(customerId, authorization, 0, new ArrayList<>()).map(licenses -> {
            Map<String, String> keys = new LinkedHashMap<>();
            licenses.stream()
                    .filter(license -> quoteId.equalsIgnoreCase(license.sourceId()) && !IssuedLicense.REVOKED.equals(license.status()))
                    .forEach(license -> keys.putIfAbsent(license.productCode(), license.licenseKey()));
            return Collections.unmodifiableMap(keys);
        }).onFailure().transform(e -> Downstream.failure("licensing-service", "reading the licenses of quote " + quoteId, e));
    }

    private Uni<List<IssuedLicense>> all(String customerId, String authorization, int page, List<IssuedLicense> read) {
        return rest.ofCustomer(customerId, page, PAGE_SIZE, authorization).chain(found -> {
            read.addAll(found.items());
            return more(found) ? all(customerId, authorization, page + 1, read) : Uni.createFrom().item(read);
        });
    }

    private static boolean more(Page<IssuedLicense> page) {
        return !page.items().isEmpty() && (long) (page.page() + 1) * page.size() < page.total();
    }
}
