package io.dotmac.licensing.license;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;

/** Why a hold was put on a license, and when; its name is its key in {@link License#holds}. */
@Embeddable
public record Hold(String reason, @Column(name = "created_at") Instant createdAt) {

    /** An operator's hold: what a suspension that names none puts, and what the per-license calls put and lift. */
    public static final String OPERATOR = "operator";

    /** The hold a request named, or the operator's when it named none. */
    public static String named(String hold) {
        return hold == null ? OPERATOR : hold;
    }
}
