package io.dotmac.workflow.rest;

import java.util.UUID;

/** What became of an execution asked to cancel, retry or compensate. */
public record Status(UUID executionId, String status) {
}
