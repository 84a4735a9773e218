package io.dotmac.crm.lead;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A product a lead asks for, and how many; kept in the lead's JSON column and shown as is. */
@RegisterForReflection
public record LeadProduct(@JsonProperty("product_code") String productCode, @JsonProperty("quantity") int quantity) {
}
