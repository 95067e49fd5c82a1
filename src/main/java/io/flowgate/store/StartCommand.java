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
 * @param options what the start asks for (parameters, priority, schedule time ...)
 * @param requestSpan the span of the HTTP request, linked from the commit span
 * @param legacyFingerprint the digest rows written before the current fingerprint form carry
 */
public record StartCommand(
    UUID requestId,
    long projectCode,
    long workflowCode,
    int workflowVersion,
    String idempotencyKey,
    boolean keyGenerated,
    String fingerprint,
    StartOptions options,
    String traceParent,
    String traceState,
    SpanContext requestSpan,
    String legacyFingerprint) {

  private static final String CURRENT_FORM = "v2:";

  // shortcuts into the options, for the writers and the queue

  public Map<String, String> params() {
    return options.params();
  }

  public Priority priority() {
    return options.priority();
  }

  public FailureStrategy failureStrategy() {
    return options.failureStrategy();
  }

  public OffsetDateTime scheduleTime() {
    return options.scheduleTime();
  }

  public String workerGroup() {
    return options.workerGroup();
  }

  public boolean dryRun() {
    return options.dryRun();
  }

  /**
   * Whether a stored fingerprint describes this same request: the current form compares with the
   * current digest, a row written before it with the legacy digest.
   */
  public boolean sameRequestAs(String stored) {
    if (stored == null) {
      return false;
    }
    if (stored.startsWith(CURRENT_FORM)) {
      return stored.equals(fingerprint);
    }
    return stored.equals(legacyFingerprint);
  }

  /** The trace id of the request's trace, or null without one. */
  public String traceId() {
    if (requestSpan != null && requestSpan.isValid()) {
      return requestSpan.getTraceId();
    }
    return TraceParents.traceId(traceParent);
  }
}
