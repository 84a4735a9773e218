package io.dotmac.sales.client;

import io.dotmac.common.client.Downstream;
import io.dotmac.common.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Reads quotes from crm-service on behalf of the caller ({@link Downstream}): an unknown quote is
 * 422; crm-service down, failing or slow is 503, which callers (the workflow engine) retry. No
 * retries here: the caller owns the retry policy.
 */
@ApplicationScoped
public class CrmClient {

    private final CrmRestClient rest;
    private final JsonWebToken token;

    CrmClient(@RestClient CrmRestClient rest, JsonWebToken token) {
        this.rest = rest;
        this.token = token;
    }

    public Uni<Quote> quote(String quoteId) {
        return rest.getQuote(quoteId, Downstream.bearer(token)).onFailure().transform(e -> Downstream.isNotFound(e)
                ? new ProblemException(422, "quote " + quoteId + " is unknown to crm-service")
                : Downstream.failure("crm-service", "reading quote " + quoteId, e));
    }
}
