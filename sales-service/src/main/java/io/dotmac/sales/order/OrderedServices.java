package io.dotmac.sales.order;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The services of an order, in the order bought, as its JSON column holds them:
 * {@code {"items": [{service_code, service_name, quantity}]}} (an object, because Hibernate
 * Reactive binds JSON columns as JSON objects only).
 */
@RegisterForReflection
public record OrderedServices(List<OrderedService> items) {
}
