package io.dotmac.workflow.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "Start an execution of the newest active version of a workflow", example = """
        {"workflow_name": "lead_to_customer", "context": {"lead_id": "5f0c…"}, "idempotency_key": "lead-5f0c-onboarding"}""")
public record ExecuteRequest(
        @NotBlank @Size(max = 100) String workflowName,
        @Schema(description = "The trigger context, at most 256 KiB as JSON") Map<String, Object> context,
        @Size(max = 200) @Schema(description = "The same key returns the same execution instead of starting another")
        String idempotencyKey) {
}
