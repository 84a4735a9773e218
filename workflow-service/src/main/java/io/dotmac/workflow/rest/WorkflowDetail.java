package io.dotmac.workflow.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/** A workflow version with its definition. */
public record WorkflowDetail(String name, String version, String description, boolean isActive, JsonNode tags,
                             boolean builtin, OffsetDateTime createdAt, JsonNode definition) {
}
