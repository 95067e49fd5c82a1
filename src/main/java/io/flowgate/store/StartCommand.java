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
 * @param requestSpan the span of the HTTP request (the trace the start belongs to)
 * @param legacyFingerprint the digest rows written before the current fingerprint form carry
 * @param commitTrace where the commit attempts are recorded in the request's trace; set by
 *     admission ({@link #tracedBy}), {@link CommitTrace#NONE} before it or without tracing
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
    String legacyFingerprint,
    CommitTrace commitTrace) {

  private static final String CURRENT_FORM = "v2:";

  public StartCommand {
    if (commitTrace == null) {
      commitTrace = CommitTrace.NONE;
    }
  }

  /** A command not yet traced by admission. */
  public StartCommand(
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
    this(
        requestId,
        projectCode,
        workflowCode,
        workflowVersion,
        idempotencyKey,
        keyGenerated,
        fingerprint,
        options,
        traceParent,
        traceState,
        requestSpan,
        legacyFingerprint,
        CommitTrace.NONE);
  }

  /** This command, its commit recorded on {@code trace}; itself when there is nothing to record. */
  public StartCommand tracedBy(CommitTrace trace) {
    if (trace == commitTrace) {
      return this;
    }
    return new StartCommand(
        requestId,
        projectCode,
        workflowCode,
        workflowVersion,
        idempotencyKey,
        keyGenerated,
        fingerprint,
        options,
        traceParent,
        traceState,
        requestSpan,
        legacyFingerprint,
        trace);
  }

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
