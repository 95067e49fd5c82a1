package io.flowgate.store;

import io.flowgate.observability.SpanNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The spans of one batch commit: the batch's own span (a root, linked to every request it served)
 * and, in each request's trace, a child of the request's span for its part in the batch.
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
    private final Instant startedAt;
    private final long startedNanos;
    private final AtomicBoolean ended = new AtomicBoolean();

    private Commit(List<StartCommand> batch, int attempt) {
      this.batch = batch;
      this.attempt = attempt;
      this.batchId = batchIds.incrementAndGet();
      this.startedAt = Instant.now();
      this.startedNanos = System.nanoTime();
      this.span = batchSpan();
    }

    private Span batchSpan() {
      SpanBuilder builder =
          tracer
              .spanBuilder(SpanNames.COMMIT_BATCH)
              .setParent(Context.root())
              .setStartTimestamp(startedAt)
              .setAttribute(SpanNames.BATCH_ID, batchId)
              .setAttribute(SpanNames.BATCH_SIZE, (long) batch.size())
              .setAttribute(SpanNames.ATTEMPT, (long) attempt);
      for (StartCommand command : batch) {
        if (command.requestSpan() != null && command.requestSpan().isSampled()) {
          builder.addLink(command.requestSpan());
        }
      }
      return builder.startSpan();
    }

    /**
     * Ends the batch span and one child span in each request's trace, once (a later call does
     * nothing); a null failure means committed.
     */
    public void end(String failure) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      Instant endedAt = Instant.now();
      long latencyMillis = (System.nanoTime() - startedNanos) / 1_000_000;
      if (failure != null) {
        span.setStatus(StatusCode.ERROR, failure);
      }
      span.setAttribute(SpanNames.COMMIT_MILLIS, latencyMillis);
      span.end(endedAt);
      SpanContext batchSpan = span.getSpanContext();
      for (StartCommand command : batch) {
        SpanContext request = command.requestSpan();
        // an unsampled request's trace records nothing: no span to build
        if (request != null && request.isSampled()) {
          part(request, batchSpan, latencyMillis, failure, endedAt);
        }
      }
    }

    /** Records a failure on the batch span; {@link #end} follows. */
    public void recordException(Throwable failure) {
      span.recordException(failure);
    }

    private void part(
        SpanContext request,
        SpanContext batchSpan,
        long latencyMillis,
        String failure,
        Instant endedAt) {
      Span part =
          tracer
              .spanBuilder(SpanNames.COMMIT)
              .setParent(Context.root().with(Span.wrap(request)))
              .setStartTimestamp(startedAt)
              .addLink(batchSpan)
              .setAttribute(SpanNames.BATCH_ID, batchId)
              .setAttribute(SpanNames.BATCH_SIZE, (long) batch.size())
              .setAttribute(SpanNames.ATTEMPT, (long) attempt)
              .setAttribute(SpanNames.COMMIT_MILLIS, latencyMillis)
              .startSpan();
      if (failure != null) {
        part.setStatus(StatusCode.ERROR, failure);
      }
      part.end(endedAt);
    }
  }

  /** Starts the spans of one attempt at committing {@code batch}; attempts count from 1. */
  public Commit start(List<StartCommand> batch, int attempt) {
    return new Commit(batch, attempt);
  }
}
