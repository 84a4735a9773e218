package io.dotmac.sales.provisioning;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.OffsetDateTime;

/** Why a hold was put on a customer tenant, and when; its name is its key in {@link CustomerTenant#holds}. */
@Embeddable
public record Hold(String reason, @Column(name = "created_at") OffsetDateTime createdAt) {

    /** An operator's hold: what a suspension that names none puts, and a reinstatement that names none lifts. */
    public static final String OPERATOR = "operator";

    /** The hold a request named, or the operator's when it named none. */
    public static String named(String hold) {
        return hold == null ? OPERATOR : hold;
    }
}
