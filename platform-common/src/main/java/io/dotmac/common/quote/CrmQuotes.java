package io.dotmac.common.quote;

import io.dotmac.common.client.Downstream;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Reads a quote from crm-service, which owns quotes, on behalf of the caller ({@link Downstream}):
 * what billing charges, what sales orders and what licensing licenses all come from the quote
 * itself, never from the caller's request. An unknown quote (or another tenant's) is 422;
 * crm-service down, failing or slow is 503, which callers (the workflow engine) retry. No retries
 * here: the caller owns the retry policy. A service using it sets {@code quarkus.rest-client.crm-service.*}.
 */
@ApplicationScoped
public class CrmQuotes {

    private final CrmQuotesRestClient rest;
    private final JsonWebToken caller;

    CrmQuotes(@RestClient CrmQuotesRestClient rest, JsonWebToken caller) {
        this.rest = rest;
        this.caller = caller;
    }

    public Uni<Quote> quote(String quoteId) {
        return rest.getQuote(quoteId, Downstream.bearer(caller)).onFailure().transform(e -> Downstream.isNotFound(e)
                ? new Unprocessable("quote " + quoteId + " is unknown to crm-service")
                : Downstream.failure("crm-service", "reading quote " + quoteId, e));
    }
}
