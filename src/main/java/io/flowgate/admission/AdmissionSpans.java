package io.flowgate.admission;

import io.flowgate.observability.SpanNames;
import io.flowgate.problem.ErrorCode;
import io.flowgate.store.CommitTrace;
import io.flowgate.store.StartCommand;
import io.flowgate.store.StartOutcome;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one span of a start on its way through admission, {@code flowgate.instance.create}: from the
 * queue to the answer. The queue wait and the commit attempts are its attributes, not spans of
 * their own (a span costs more to record and export than the attributes it would carry).
 */
@ApplicationScoped
public class AdmissionSpans {

  private final Tracer tracer;

  public AdmissionSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  /** Starts the span, a child of the current (server) span; NONE when it records nothing. */
  CommitTrace startCreate(StartCommand command) {
    return CommitTrace.of(
        tracer
            .spanBuilder(SpanNames.INSTANCE_CREATE)
            .setAttribute(SpanNames.PROJECT, command.projectCode())
            .setAttribute(SpanNames.WORKFLOW, command.workflowCode())
            .setAttribute(SpanNames.IDEMPOTENCY_KEY, command.idempotencyKey())
            .setAttribute(SpanNames.PRIORITY, command.priority().name())
            .startSpan());
  }

  /**
   * The ticket left the queue at {@code nowNanos} (admission's ticker): taken by the writer,
   * expired, or refused on the way in.
   */
  void waited(Ticket ticket, long nowNanos) {
    Span span = ticket.command().commitTrace().span();
    if (span.isRecording()) {
      span.setAttribute(SpanNames.WAIT_MILLIS, (nowNanos - ticket.enqueuedAtNanos()) / 1_000_000);
    }
  }

  void created(Ticket ticket, StartOutcome outcome) {
    CommitTrace trace = ticket.command().commitTrace();
    Span span = trace.span();
    span.setAttribute(SpanNames.INSTANCE, outcome.instance().instanceId());
    span.setAttribute(SpanNames.OUTCOME, outcome.kind().name());
    if (outcome.kind() == StartOutcome.Kind.KEY_REUSED) {
      span.setStatus(StatusCode.ERROR, ErrorCode.IDEMPOTENCY_KEY_REUSED.name());
    }
    trace.end();
  }

  void failed(Ticket ticket, ErrorCode code) {
    CommitTrace trace = ticket.command().commitTrace();
    Span span = trace.span();
    span.setAttribute(SpanNames.OUTCOME, code.name());
    span.setStatus(StatusCode.ERROR, code.name());
    trace.end();
  }
}
