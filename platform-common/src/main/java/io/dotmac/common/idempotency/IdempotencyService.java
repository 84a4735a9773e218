package io.dotmac.common.idempotency;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.dotmac.common.security.CurrentTenant;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Honours the {@code Idempotency-Key} header of a mutating request: the first request with a key
 * runs, and its 2xx response is stored; a later request with the same key gets that response again
 * without running; the same key with another request is 422. A failure or a non-2xx answer stores
 * nothing, so the caller may retry.
 *
 * <p>{@link #run}: the response is stored in the same transaction as the change it made, and the
 * key row is inserted before the work runs, so a concurrent request with the same key waits on that
 * row until the first commits (then replays its response) or rolls back (then runs itself). {@link
 * #runUnlocked}, for work that commits its own parts and resumes where it stopped: nothing is held
 * around it and the response is stored after it, so concurrent requests with one key may both run.
 *
 * <p>Resource methods say {@link Idempotent}; the request it binds is the one keyed. Its body is
 * compared in a canonical form: key order, absent fields and fields at their default (null, false
 * or 0 of a primitive or its wrapper, an empty string or list) do not make another request, so no
 * body and {@code {}} are the same request. A field whose absence means something else than its
 * default must not be such a type.
 *
 * <p>A key stored before that form (its hash without the {@value #HASH_VERSION} prefix) is honoured
 * for the same method and path whatever the body: a journey's step resent across the upgrade is
 * answered, not refused.
 */
@ApplicationScoped
public class IdempotencyService {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    static final int MAX_KEY_LENGTH = 255;
    static final String HASH_VERSION = "v2:";

    private static final Logger LOG = Logger.getLogger(IdempotencyService.class);

    private final CurrentTenant tenant;
    private final IdempotentRequest current;
    private final ObjectMapper json;
    // Canonical form for hashing: see the class comment.
    private final ObjectMapper canonical;

    IdempotencyService(CurrentTenant tenant, IdempotentRequest current, ObjectMapper json) {
        this.tenant = tenant;
        this.current = current;
        this.json = json;
        this.canonical = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                .setDefaultPropertyInclusion(JsonInclude.Value.construct(Include.NON_DEFAULT, Include.NON_DEFAULT));
    }

    /**
     * Runs {@code action} in a transaction (services' {@code @WithTransaction} methods join it) unless
     * the {@link Idempotent} method's request has a key seen before for this tenant. Without a key
     * the action simply runs. Called by a method that checks first, once its checks have passed.
     */
    public Uni<Response> run(Supplier<Uni<Response>> action) {
        Keyed keyed = keyed();
        if (keyed == null) {
            return Panache.withTransaction(action);
        }
        return Panache.withTransaction(() -> claim(keyed).chain(claimed -> claimed
                ? action.get().call(response -> complete(keyed, response))
                : stored(keyed).map(row -> replayed(row, keyed))));
    }

    /**
     * For work that is idempotent by itself and commits its own parts (sales' order processing, which
     * resumes where it stopped): no transaction or connection is held around it. A key whose answer
     * is stored gets it again; otherwise the work runs and a 2xx answer is stored after it. Two
     * requests with one key at once may both run the work, which is why only such work may use it.
     */
    public Uni<Response> runUnlocked(Supplier<Uni<Response>> action) {
        Keyed keyed = keyed();
        if (keyed == null) {
            return Uni.createFrom().deferred(action::get);
        }
        return Panache.withSession(() -> stored(keyed)).chain(row -> {
            if (row != null && (row[3] != null || !keyed.sameAs(row))) {
                return Uni.createFrom().item(replayed(row, keyed));
            }
            return action.get().call(response -> record(keyed, response));
        });
    }

    /** The request's key with what it is compared on; null without a key. */
    private record Keyed(String tenantId, String key, String method, String path, String hash) {

        // row: request_method, request_path, request_hash (a row stored before HASH_VERSION: any body).
        boolean sameAs(Object[] row) {
            String stored = (String) row[2];
            boolean sameBody = !stored.startsWith(HASH_VERSION) || hash.equals(stored);
            return method.equals(row[0]) && path.equals(row[1]) && sameBody;
        }
    }

    private Keyed keyed() {
        IdempotentRequest.Bound request = current.get();
        if (request.key() == null || request.key().isBlank()) {
            return null;
        }
        return new Keyed(tenant.id(), request.key(), request.method(), request.path(),
                hash(request.method(), request.path(), request.body()));
    }

    private static Uni<Boolean> claim(Keyed k) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO idempotency_keys (tenant_id, idempotency_key, request_method, request_path, request_hash)
                        VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING""")
                .setParameter(1, k.tenantId()).setParameter(2, k.key()).setParameter(3, k.method()).setParameter(4, k.path())
                .setParameter(5, k.hash()).executeUpdate())
                .map(inserted -> inserted == 1);
    }

    private Uni<Void> complete(Keyed k, Response response) {
        if (!succeeded(response)) {
            // Only successes are remembered: roll back the key with whatever the action wrote.
            return Panache.currentTransaction().invoke(tx -> tx.markForRollback()).replaceWithVoid();
        }
        // Bound as text then cast: a string bound straight to jsonb would be stored as a JSON string.
        String body = serialize(response.getEntity());
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        UPDATE idempotency_keys SET response_status = ?3, response_body = CAST(CAST(?4 AS text) AS jsonb), completed_at = now()
                        WHERE tenant_id = ?1 AND idempotency_key = ?2""")
                .setParameter(1, k.tenantId()).setParameter(2, k.key()).setParameter(3, response.getStatus())
                .setParameter(4, body).executeUpdate()).replaceWithVoid();
    }

    // Stores a 2xx answer unless one is stored already (a concurrent run's: the first stays).
    private Uni<Void> record(Keyed k, Response response) {
        if (!succeeded(response)) {
            return Uni.createFrom().voidItem();
        }
        String body = serialize(response.getEntity());
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO idempotency_keys (tenant_id, idempotency_key, request_method, request_path, request_hash,
                                                      response_status, response_body, completed_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, CAST(CAST(?7 AS text) AS jsonb), now()) ON CONFLICT DO NOTHING""")
                .setParameter(1, k.tenantId()).setParameter(2, k.key()).setParameter(3, k.method()).setParameter(4, k.path())
                .setParameter(5, k.hash()).setParameter(6, response.getStatus()).setParameter(7, body).executeUpdate()))
                .replaceWithVoid();
    }

    private static boolean succeeded(Response response) {
        return response.getStatus() >= 200 && response.getStatus() < 300;
    }

    // The key's row: request_method, request_path, request_hash, response_status, response_body; null if none.
    private static Uni<Object[]> stored(Keyed k) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        SELECT request_method, request_path, request_hash, response_status, CAST(response_body AS text)
                        FROM idempotency_keys WHERE tenant_id = ?1 AND idempotency_key = ?2""", Object[].class)
                .setParameter(1, k.tenantId()).setParameter(2, k.key()).getSingleResultOrNull());
    }

    private Response replayed(Object[] row, Keyed k) {
        if (!k.sameAs(row)) {
            throw new Unprocessable("Idempotency-Key '" + k.key() + "' was already used for another request ("
                    + row[0] + " " + row[1] + "); use a new key for a new request");
        }
        LOG.debugf("replaying the response stored for Idempotency-Key %s", k.key());
        return Response.status(((Number) row[3]).intValue())
                .entity(row[4] == null ? null : parse((String) row[4]))
                .type(MediaType.APPLICATION_JSON)
                .header(REPLAYED_HEADER, "true")
                .build();
    }

    private String hash(String method, String path, Object body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(canonical.writeValueAsBytes(canonical.convertValue(body == null ? Map.of() : body, Object.class)));
            return HASH_VERSION + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot hash the request", e);
        }
    }

    private String serialize(Object entity) {
        try {
            return entity == null ? null : json.writeValueAsString(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store the response", e);
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored response is not JSON", e);
        }
    }
}
