package io.dotmac.sales.shop;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * A cart's lines, in the order added, as its JSON column holds them: {@code {"items": [...]}} (an
 * object, because Hibernate Reactive binds JSON columns as JSON objects only).
 */
@RegisterForReflection
public record CartLines(List<CartLine> items) {
}
