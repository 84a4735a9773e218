package io.dotmac.workflow.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/** A workflow version as lists show it. */
public record Workflow(String name, String version, String description, boolean isActive, JsonNode tags, boolean builtin,
                       OffsetDateTime createdAt) {
}
