package io.dotmac.sales.order.mapping;

import io.dotmac.sales.order.Order;
import io.dotmac.sales.order.OrderView;
import io.dotmac.sales.order.rest.OrderDto;
import io.dotmac.sales.provisioning.CustomerTenant;
import io.dotmac.sales.provisioning.DeploymentInstance;

/** Orders, with what they provisioned, into their API form. */
public final class OrderMapper {

    private OrderMapper() {
    }

    public static OrderDto toDto(OrderView view) {
        Order order = view.order();
        CustomerTenant tenant = view.tenant();
        DeploymentInstance deployment = view.deployment();
        return new OrderDto(order.id, order.externalOrderId, order.quoteId, order.status.wire(), order.failureReason,
                order.source, order.customerEmail, order.customerName, order.companyName, order.organizationSlug,
                order.region, order.currency, order.billingCycle, order.totalAmount, order.services.items(),
                order.customerTenantId, order.deploymentInstanceId,
                tenant == null ? null : new OrderDto.Tenant(tenant.id, tenant.slug, tenant.status, tenant.createdAt,
                        tenant.suspendedAt, tenant.deprovisionedAt),
                deployment == null ? null : new OrderDto.Deployment(deployment.id, deployment.region, deployment.status,
                        deployment.endpointUrl, deployment.createdAt, deployment.deprovisionedAt),
                view.activations().stream().map(a -> new OrderDto.Activation(a.id, a.serviceCode, a.status.wire(),
                        a.attempts, a.error, a.completedAt, a.deprovisionedAt)).toList(),
                order.createdAt, order.updatedAt, order.activatedAt, order.cancelledAt);
    }
}
