package io.flowgate.store;

import io.flowgate.config.StoreConfig;
import io.flowgate.observability.SpanNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The trace of one batch commit: the batch's own span (a root: it serves requests of many traces),
 * linked to the {@code flowgate.instance.create} span of every request it serves, and, in each
 * request's trace, the attempt's figures on the request's {@link CommitTrace}, whose span links
 * back to the batch. No span per request: the links join the two.
 */
@ApplicationScoped
public class CommitSpans {

  /** OpenTelemetry's cap on links per span; a link past it would be dropped without a word. */
  static final String LINK_LIMIT = "quarkus.otel.span.link.count.limit";

  private final Tracer tracer;
  private final AtomicLong batchIds = new AtomicLong();
  private final int maxBatch;
  private final int linkLimit;

  @Inject
  public CommitSpans(
      Tracer tracer,
      StoreConfig store,
      @ConfigProperty(name = LINK_LIMIT, defaultValue = "128") int linkLimit) {
    this.tracer = tracer;
    this.maxBatch = store.maxBatch();
    this.linkLimit = linkLimit;
  }

  CommitSpans(Tracer tracer) {
    this.tracer = tracer;
    this.maxBatch = 0;
    this.linkLimit = 0;
  }

  // at start, not at the first commit: a batch size the links cannot follow stops the service
  // before it serves anything
  void checkAtStart(@Observes StartupEvent event) {
    checkLinkLimit(maxBatch, linkLimit);
  }

  /** Refuses a batch size whose batch span would drop links to some of its requests. */
  static void checkLinkLimit(int maxBatch, int linkLimit) {
    if (maxBatch > linkLimit) {
      throw new IllegalStateException(
          "flowgate.store.max-batch ("
              + maxBatch
              + ") exceeds "
              + LINK_LIMIT
              + " ("
              + linkLimit
              + "): a batch span would lose the links to some of its requests; raise the limit"
              + " or lower the batch");
    }
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
      SpanBuilder builder =
          tracer
              .spanBuilder(SpanNames.COMMIT_BATCH)
              .setParent(Context.root())
              .setAttribute(SpanNames.BATCH_ID, batchId)
              .setAttribute(SpanNames.BATCH_SIZE, (long) batch.size())
              .setAttribute(SpanNames.ATTEMPT, (long) attempt);
      for (StartCommand command : batch) {
        // an untraced request (CommitTrace.NONE) has no span to link to
        SpanContext request = command.commitTrace().span().getSpanContext();
        if (request.isValid()) {
          builder.addLink(request);
        }
      }
      return builder.startSpan();
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
