package io.dotmac.workflow.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.workflow.execution.JsonCodec;
import io.dotmac.workflow.repository.WorkflowVersion;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The workflow API's request and response bodies (snake_case on the wire). */
final class ApiModels {

    private ApiModels() {
    }

    @Schema(description = "Start an execution of the newest active version of a workflow", example = """
            {"workflow_name": "lead_to_customer", "context": {"lead_id": "5f0c…"}, "idempotency_key": "lead-5f0c-onboarding"}""")
    record ExecuteRequest(
            @NotBlank @Size(max = 100) String workflowName,
            @Schema(description = "The trigger context, at most 256 KiB as JSON") Map<String, Object> context,
            @Size(max = 200) @Schema(description = "The same key returns the same execution instead of starting another")
            String idempotencyKey) {
    }

    record ExecutionAccepted(UUID executionId, String status, boolean created) {
    }

    record Workflow(String name, String version, String description, boolean isActive, JsonNode tags, boolean builtin,
                    OffsetDateTime createdAt) {
        static Workflow of(WorkflowVersion v) {
            return new Workflow(v.name(), v.version(), v.description(), v.active(), JsonCodec.readTree(v.tagsJson()),
                    v.builtin(), v.createdAt());
        }
    }

    record WorkflowDetail(String name, String version, String description, boolean isActive, JsonNode tags,
                          boolean builtin, OffsetDateTime createdAt, JsonNode definition) {
        static WorkflowDetail of(WorkflowVersion v) {
            return new WorkflowDetail(v.name(), v.version(), v.description(), v.active(), JsonCodec.readTree(v.tagsJson()),
                    v.builtin(), v.createdAt(), JsonCodec.readTree(v.definition()));
        }
    }

    record ExecutionPage(List<?> items, String nextCursor) {
    }

    record Status(UUID executionId, String status) {
    }

    static Map<String, Object> orEmpty(Map<String, Object> context) {
        return context == null ? Map.of() : context;
    }
}
