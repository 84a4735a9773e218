package io.dotmac.sales.provisioning;

import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Lets order submits and processes run only a few at a time, so that between them they can never
 * take the whole database pool.
 *
 * <p>Why: such a request takes a pooled connection for each provisioning part in turn ({@code
 * SeparateTransaction}; its {@code Idempotency-Key} holds none around them, see
 * {@code IdempotencyService.runUnlocked}), holding it while the part waits for the order's row lock
 * (another attempt at the same order may hold it). At most {@code max-size - 1} at once leaves at
 * least one connection to everything else (reads, orders from quotes, cancels, the outbox). The rest wait in the bulkhead's queue, holding no connection and
 * not blocking the event loop (a queued request resumes on its own Vert.x context); past the queue
 * they are refused with a 503 that the caller retries ({@code support/BulkheadExceptionMapper}).
 */
@Startup
@ApplicationScoped
public class ProvisioningAdmission {

    private static final Logger LOG = Logger.getLogger(ProvisioningAdmission.class);

    private final TypedGuard<Uni<Response>> bulkhead;

    ProvisioningAdmission(@ConfigProperty(name = "quarkus.datasource.reactive.max-size") int poolSize,
                          @ConfigProperty(name = "sales.provisioning.max-waiting") int maxWaiting) {
        int running = poolSize - 1;
        if (running < 1) {
            throw new IllegalStateException("quarkus.datasource.reactive.max-size is " + poolSize
                    + "; order processing needs at least 2 (one for a request and one to spare)");
        }
        this.bulkhead = TypedGuard.create(new TypeLiteral<Uni<Response>>() {})
                .withDescription("order submit and process")
                .withBulkhead().limit(running).queueSize(maxWaiting).done()
                .build();
        LOG.infof("order submits and processes: %d at once, %d waiting (pool of %d connections)", running, maxWaiting, poolSize);
    }

    /**
     * Subscribes to {@code request} when its turn comes. The caller builds it on the HTTP request
     * (which reads the tenant from the token); subscribing is what opens its transaction.
     */
    public Uni<Response> admit(Uni<Response> request) {
        return bulkhead.get(() -> request);
    }
}
