package io.dotmac.sales.order;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A service the order bought (a quote line): stored in the order's JSON column and shown as is. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OrderedService(String serviceCode, String serviceName, int quantity) {
}
