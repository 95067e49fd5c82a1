package io.flowgate.store;

import java.time.OffsetDateTime;

/** What a start answers about the instance it created or replayed. */
public record InstanceSummary(
    long instanceId,
    long projectCode,
    long workflowCode,
    int workflowVersion,
    String state,
    String idempotencyKey,
    String traceId,
    OffsetDateTime createdAt) {}
