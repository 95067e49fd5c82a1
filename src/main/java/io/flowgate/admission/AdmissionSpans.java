package io.flowgate.admission;

import io.flowgate.observability.SpanNames;
import io.flowgate.problem.ErrorCode;
import io.flowgate.store.StartCommand;
import io.flowgate.store.StartOutcome;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;

/** The spans of one start on its way through admission: the queue wait and the creation. */
@ApplicationScoped
public class AdmissionSpans {

  private final Tracer tracer;

  public AdmissionSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  Span startWait(StartCommand command) {
    return tracer
        .spanBuilder(SpanNames.ADMISSION_WAIT)
        .setAttribute(SpanNames.PRIORITY, command.priority().name())
        .setAttribute(SpanNames.PROJECT, command.projectCode())
        .startSpan();
  }

  Span startCreate(StartCommand command) {
    return tracer
        .spanBuilder(SpanNames.INSTANCE_CREATE)
        .setAttribute(SpanNames.PROJECT, command.projectCode())
        .setAttribute(SpanNames.WORKFLOW, command.workflowCode())
        .setAttribute(SpanNames.IDEMPOTENCY_KEY, command.idempotencyKey())
        .startSpan();
  }

  void endWait(Ticket ticket, ErrorCode code) {
    Span span = ticket.waitSpan();
    span.setAttribute(
        SpanNames.WAIT_MILLIS, (System.nanoTime() - ticket.enqueuedAtNanos()) / 1_000_000);
    if (code != null) {
      span.setAttribute(SpanNames.OUTCOME, code.name());
      span.setStatus(StatusCode.ERROR, code.name());
    }
    span.end();
  }

  void created(Ticket ticket, StartOutcome outcome) {
    Span span = ticket.createSpan();
    span.setAttribute(SpanNames.INSTANCE, outcome.instance().instanceId());
    span.setAttribute(SpanNames.OUTCOME, outcome.kind().name());
    if (outcome.kind() == StartOutcome.Kind.KEY_REUSED) {
      span.setStatus(StatusCode.ERROR, ErrorCode.IDEMPOTENCY_KEY_REUSED.name());
    }
    span.end();
  }

  void failed(Ticket ticket, ErrorCode code) {
    Span span = ticket.createSpan();
    span.setAttribute(SpanNames.OUTCOME, code.name());
    span.setStatus(StatusCode.ERROR, code.name());
    span.end();
  }
}
