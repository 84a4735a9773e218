package io.dotmac.workflow.repository;

import java.time.OffsetDateTime;

/** A stored version of a workflow as the API lists it; {@code definition} is its JSON. */
public record WorkflowVersion(long id, String name, String version, String description, boolean active,
                              String tagsJson, boolean builtin, String tenantId, OffsetDateTime createdAt,
                              String definition) {
}
