package io.flowgate.store;

import io.flowgate.observability.SpanNames;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * Where one start's commit shows in its own trace: on the span that waits for the commit ({@code
 * flowgate.instance.create}), not on a span of its own. Each attempt at the start's batch writes
 * its batch id there (the last attempt's stays), a failed attempt adds an event, and the span, when
 * it ends, gets one link: to the batch span of the last attempt, which carries that attempt's size,
 * number and commit time (copying them onto every request's span would serialise them once per
 * start instead of once per batch). The outcome and the error status are the answer's, set by
 * whoever ends the span.
 */
public final class CommitTrace {

  /** No trace: tracing is off, or the request's trace is not sampled. */
  public static final CommitTrace NONE = new CommitTrace(Span.getInvalid());

  private final Span span;
  private volatile SpanContext lastBatch;

  private CommitTrace(Span span) {
    this.span = span;
  }

  /**
   * The commit trace of a start whose commit {@code span} waits for; NONE if it records nothing.
   */
  public static CommitTrace of(Span span) {
    return span.isRecording() ? new CommitTrace(span) : NONE;
  }

  /** The span the commit is recorded on. */
  public Span span() {
    return span;
  }

  /**
   * One attempt at the start's batch ended; a null failure means committed. Ignored once the span
   * has ended (the start was answered before this attempt finished).
   */
  void attemptEnded(
      long batchId, int attempt, long commitMillis, String failure, SpanContext batchSpan) {
    if (!span.isRecording()) {
      return;
    }
    span.setAttribute(SpanNames.BATCH_ID, batchId);
    if (failure != null) {
      span.addEvent(
          SpanNames.COMMIT_FAILED,
          Attributes.of(
              SpanNames.BATCH_ID,
              batchId,
              SpanNames.ATTEMPT,
              (long) attempt,
              SpanNames.COMMIT_MILLIS,
              commitMillis,
              SpanNames.ERROR_TYPE,
              failure));
    }
    lastBatch = batchSpan;
  }

  /** Ends the span, linked to the batch span of the last attempt that ended before it. */
  public void end() {
    SpanContext batch = lastBatch;
    if (batch != null && batch.isValid()) {
      span.addLink(batch);
    }
    span.end();
  }
}
