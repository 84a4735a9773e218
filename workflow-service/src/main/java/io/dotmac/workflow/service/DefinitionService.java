package io.dotmac.workflow.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.common.rest.ProblemException;
import io.dotmac.workflow.definition.DefinitionParser;
import io.dotmac.workflow.definition.InvalidDefinitionException;
import io.dotmac.workflow.definition.ValidationError;
import io.dotmac.workflow.definition.WorkflowDefinition;
import io.dotmac.workflow.execution.JsonCodec;
import io.dotmac.workflow.repository.WorkflowRepository;
import io.dotmac.workflow.repository.WorkflowVersion;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Workflow definitions as a tenant manages them: stored only when valid, versioned, activated.
 * Built-in definitions are shared by every tenant and read-only; a tenant's own version of a
 * built-in's name runs instead of it for that tenant.
 */
@ApplicationScoped
public class DefinitionService {

    private static final String UNIQUE_VIOLATION = "23505";

    private final DefinitionParser parser;
    private final WorkflowRepository workflows;

    DefinitionService(DefinitionParser parser, WorkflowRepository workflows) {
        this.parser = parser;
        this.workflows = workflows;
    }

    public Uni<List<WorkflowVersion>> list(String tenantId, boolean allVersions) {
        return workflows.list(tenantId, allVersions);
    }

    public Uni<List<WorkflowVersion>> versions(String tenantId, String name) {
        return workflows.versions(tenantId, name).map(versions -> {
            if (versions.isEmpty()) {
                throw new ProblemException(404, "no workflow '" + name + "'");
            }
            return versions;
        });
    }

    public Uni<WorkflowVersion> get(String tenantId, String name, String version) {
        return workflows.find(tenantId, name, blankToNull(version)).map(found -> found.orElseThrow(() ->
                new ProblemException(404, "no workflow '" + name + "'" + (blankToNull(version) == null ? "" : " version " + version))));
    }

    public Uni<WorkflowVersion> create(String tenantId, JsonNode json) {
        WorkflowDefinition definition;
        try {
            definition = parser.parse(json);
        } catch (InvalidDefinitionException e) {
            throw new ProblemException(400, e.getMessage(), e.errors().stream().map(ValidationError::toString).toList());
        }
        String stored;
        try {
            stored = JsonCodec.write(json);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(400, "definition " + e.getMessage());
        }
        return workflows.insert(definition, stored, tenantId)
                .onFailure(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()))
                .transform(e -> new ProblemException(409, "workflow '" + definition.name() + "' version "
                        + definition.version() + " exists; store a new version"))
                .chain(id -> get(tenantId, definition.name(), definition.version()));
    }

    public Uni<WorkflowVersion> setActive(String tenantId, String name, String version, boolean active) {
        if (blankToNull(version) == null) {
            throw new ProblemException(400, "version is required, e.g. ?version=1.0.0");
        }
        return workflows.setActive(tenantId, name, version, active).chain(changed -> {
            if (changed) {
                return get(tenantId, name, version);
            }
            return get(tenantId, name, version).map(existing -> {
                throw new ProblemException(403, "workflow '" + name + "' " + version
                        + " is built in and shared by every tenant; store a version of your own to change what runs");
            });
        });
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
