package io.dotmac.sales.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dotmac.common.rest.ProblemException;
import io.dotmac.sales.support.Failures;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Reads quotes from crm-service on behalf of the caller: the caller's Bearer token goes along, so
 * crm-service answers for the caller's tenant. Failures come back as problems the caller can act
 * on: an unknown quote is 422; crm-service down, failing or slow is 503, which callers (the
 * workflow engine) retry. No retries here: the caller owns the retry policy.
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
        String authorization = "Bearer " + token.getRawToken();
        return rest.getQuote(quoteId, authorization).onFailure().transform(e -> translate(quoteId, e));
    }

    private static RuntimeException translate(String quoteId, Throwable e) {
        if (e instanceof ProblemException problem) {
            return problem;
        }
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            if (status == 404) {
                return new ProblemException(422, "quote " + quoteId + " is unknown to crm-service");
            }
            if (status >= 500) {
                return new ProblemException(503, "crm-service is unavailable (HTTP " + status + " reading quote " + quoteId
                        + "); retry later");
            }
            return new ProblemException(502, "crm-service refused to read quote " + quoteId + " (HTTP " + status + ")");
        }
        if (causedBy(e, JsonProcessingException.class)) {
            return new ProblemException(502, "crm-service answered with a quote " + quoteId + " that cannot be read: "
                    + Failures.rootMessage(e));
        }
        // Refused connection, reset, timeout: crm-service is not there right now.
        return new ProblemException(503, "crm-service is unavailable (" + Failures.rootMessage(e) + " reading quote "
                + quoteId + "); retry later");
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
