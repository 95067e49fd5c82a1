package io.flowgate.store;

import io.flowgate.observability.SpanNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trace of one batch commit: the batch's own span (a root: it serves requests of many traces)
 * and, in each request's trace, the attempt's figures on the request's {@link CommitTrace}. No link
 * per request on the batch span and no span per request: the request links to the batch.
 */
@ApplicationScoped
public class CommitSpans {

  private final Tracer tracer;
  private final AtomicLong batchIds = new AtomicLong();

  public CommitSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  /** One attempt at committing a batch, from its start until {@link #end}. */
  public final class Commit {
    private final List<StartCommand> batch;
    private final int attempt;
    private final long batchId;
    private final Span span;
    private final long startedNanos;
    private final AtomicBoolean ended = new AtomicBoolean();

    private Commit(List<StartCommand> batch, int attempt) {
      this.batch = batch;
      this.attempt = attempt;
      this.batchId = batchIds.incrementAndGet();
      this.startedNanos = System.nanoTime();
      this.span = batchSpan();
    }

    private Span batchSpan() {
      return tracer
          .spanBuilder(SpanNames.COMMIT_BATCH)
          .setParent(Context.root())
          .setAttribute(SpanNames.BATCH_ID, batchId)
          .setAttribute(SpanNames.BATCH_SIZE, (long) batch.size())
          .setAttribute(SpanNames.ATTEMPT, (long) attempt)
          .startSpan();
    }

    /**
     * Ends the batch span and records the attempt in each request's trace, once (a later call does
     * nothing); a null failure means committed.
     */
    public void end(String failure) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      long latencyMillis = (System.nanoTime() - startedNanos) / 1_000_000;
      if (failure != null) {
        span.setStatus(StatusCode.ERROR, failure);
      }
      span.setAttribute(SpanNames.COMMIT_MILLIS, latencyMillis);
      span.end();
      SpanContext batchSpan = span.getSpanContext();
      for (StartCommand command : batch) {
        command.commitTrace().attemptEnded(batchId, attempt, latencyMillis, failure, batchSpan);
      }
    }

    /** Records a failure on the batch span; {@link #end} follows. */
    public void recordException(Throwable failure) {
      span.recordException(failure);
    }
  }

  /** Starts the spans of one attempt at committing {@code batch}; attempts count from 1. */
  public Commit start(List<StartCommand> batch, int attempt) {
    return new Commit(batch, attempt);
  }
}
