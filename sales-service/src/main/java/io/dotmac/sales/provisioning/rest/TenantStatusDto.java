package io.dotmac.sales.provisioning.rest;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A quote's customer tenant after a suspension or reinstatement was asked for (JSON snake_case):
 * {@code changed} is false when it was in that state already. {@code suspended_at} and
 * {@code suspension_reason} are the current suspension's, null once reinstated.
 */
public record TenantStatusDto(String quoteId, UUID orderId, String slug, String status, OffsetDateTime suspendedAt,
                              String suspensionReason, boolean changed) {
}
