package io.dotmac.workflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.workflow.definition.OperationSpec;
import io.smallrye.mutiny.Uni;
import java.util.Map;

/**
 * One operation of a downstream service as a workflow step calls it ({@code crm_service} /
 * {@code qualify_lead}): what it accepts, and the call itself. Obtained from
 * {@link ServiceRegistry#find(String, String)}.
 *
 * <p>{@link #invoke} is lazy: nothing is sent until the {@code Uni} is subscribed, and every
 * subscription (so every retry by the engine) sends a new request. Its failures, unchanged:
 * <ul>
 * <li>{@code jakarta.ws.rs.WebApplicationException}: the service answered with status 400 or more
 *     ({@code getResponse().getStatus()});
 * <li>{@code jakarta.ws.rs.ProcessingException}: no answer (connection refused, reset, timed out);
 * <li>{@link IllegalArgumentException}: the call was never sent because the parameters do not fit
 *     the {@link #spec()} (a required one missing or null, an unknown one, a list or object where
 *     the URL needs a single value) or a mutating operation got no idempotency key. Retrying
 *     cannot help.
 * </ul>
 */
public interface ServiceOperation {

    OperationSpec spec();

    /**
     * Calls the operation.
     *
     * @param params resolved values by parameter name (String, BigDecimal, Long, Boolean, List,
     *     Map); the ones that name a resource go into the URL as text, the rest into the JSON body;
     *     an optional parameter that is absent or null is not sent
     * @param idempotencyKey sent as the {@code Idempotency-Key} header; required when
     *     {@code spec().mutating()}, ignored otherwise
     * @param authorization the {@code Authorization} header (the engine's own Bearer token for the
     *     execution's tenant); null sends none
     * @return the service's JSON answer
     */
    Uni<JsonNode> invoke(Map<String, Object> params, String idempotencyKey, String authorization);
}
