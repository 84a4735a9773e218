package io.dotmac.sales.order.rest;

import io.dotmac.sales.order.OrderedService;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * An order as the API shows it (JSON snake_case): {@code tenant_id} is the provisioned customer
 * tenant's id, null until provisioned, like {@code tenant} and {@code deployment}. A cancelled
 * order shows when ({@code cancelled_at}), and what it had provisioned stays shown, torn down:
 * status {@code deprovisioned} with {@code deprovisioned_at}. A customer tenant suspended for an
 * unpaid invoice shows status {@code suspended} with {@code suspended_at}.
 */
public record OrderDto(UUID id, String externalOrderId, String quoteId, String status, String failureReason, String source,
                       String customerEmail, String customerName, String companyName, String organizationSlug,
                       String region, String currency, String billingCycle, BigDecimal totalAmount,
                       List<OrderedService> services, UUID tenantId, UUID deploymentInstanceId, Tenant tenant,
                       Deployment deployment, List<Activation> activations, OffsetDateTime createdAt,
                       OffsetDateTime updatedAt, OffsetDateTime activatedAt, OffsetDateTime cancelledAt) {

    /** The customer tenant the order provisioned. */
    public record Tenant(UUID id, String slug, String status, OffsetDateTime createdAt, OffsetDateTime suspendedAt,
                         OffsetDateTime deprovisionedAt) {
    }

    public record Deployment(UUID id, String region, String status, String endpointUrl, OffsetDateTime createdAt,
                             OffsetDateTime deprovisionedAt) {
    }

    public record Activation(UUID id, String serviceCode, String status, int attempts, String error,
                             OffsetDateTime completedAt, OffsetDateTime deprovisionedAt) {
    }
}
