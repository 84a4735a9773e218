package io.dotmac.sales.provisioning.rest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A quote's customer tenant (JSON snake_case): status active, suspended (while any of its
 * {@code holds}, sorted, is on it) or deprovisioned. {@code suspended_at} is when the current
 * suspension began (kept when a suspended tenant is deprovisioned), null once active again. Only a
 * deprovisioning answers an order that provisioned no customer tenant: slug, status, holds and
 * suspended_at are then null.
 */
public record TenantStatusDto(String quoteId, UUID orderId, String slug, String status, List<String> holds,
                              OffsetDateTime suspendedAt) {
}
