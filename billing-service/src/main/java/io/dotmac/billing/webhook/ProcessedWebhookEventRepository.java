package io.dotmac.billing.webhook;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import jakarta.enterprise.context.ApplicationScoped;

/** The Stripe events already applied, by event id (Stripe's ids are unique across tenants). */
@ApplicationScoped
@WithSession
public class ProcessedWebhookEventRepository implements PanacheRepositoryBase<ProcessedWebhookEvent, String> {
}
