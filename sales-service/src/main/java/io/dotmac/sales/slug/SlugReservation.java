package io.dotmac.sales.slug;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A customer organization's slug, held platform-wide by one vendor tenant's lead. */
@Entity
@Table(name = "slug_reservations")
public class SlugReservation extends PanacheEntityBase {

    @Id
    public String slug;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "lead_id")
    public String leadId;

    /** Null: held for good (its quote was accepted). */
    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public boolean heldBy(String tenant, String lead) {
        return tenantId.equals(tenant) && leadId.equals(lead);
    }

    public boolean inForce(OffsetDateTime now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }
}
