package io.flowgate.store;

import io.opentelemetry.api.trace.SpanContext;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * One validated start request, ready to be written.
 *
 * @param requestId unique per admission; lets a retried commit recognise its own row
 * @param fingerprint digest of the request body; same key with another fingerprint is a 409
 * @param requestSpan the span of the HTTP request, linked from the commit span
 */
public record StartCommand(
    UUID requestId,
    long projectCode,
    long workflowCode,
    int workflowVersion,
    String idempotencyKey,
    boolean keyGenerated,
    String fingerprint,
    Map<String, String> params,
    Priority priority,
    FailureStrategy failureStrategy,
    OffsetDateTime scheduleTime,
    String workerGroup,
    boolean dryRun,
    String traceParent,
    String traceState,
    SpanContext requestSpan) {}
