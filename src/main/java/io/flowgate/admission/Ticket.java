package io.flowgate.admission;

import io.flowgate.observability.FlowgateException;
import io.flowgate.store.StartCommand;
import io.flowgate.store.StartOutcome;
import io.opentelemetry.api.trace.Span;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One admitted start request on its way through the queue to the store. It is answered exactly
 * once: {@link #take()} and {@link #expire()} race for it, and only the winner may answer.
 */
public final class Ticket {

  private static final int QUEUED = 0;
  private static final int TAKEN = 1;
  private static final int EXPIRED = 2;

  private final long id;
  private final StartCommand command;
  private final long enqueuedAtNanos;
  private final Span waitSpan;
  private final Span createSpan;
  private final CompletableFuture<StartOutcome> answer = new CompletableFuture<>();
  private final AtomicInteger state = new AtomicInteger(QUEUED);

  Ticket(long id, StartCommand command, long enqueuedAtNanos, Span waitSpan, Span createSpan) {
    this.id = id;
    this.command = command;
    this.enqueuedAtNanos = enqueuedAtNanos;
    this.waitSpan = waitSpan;
    this.createSpan = createSpan;
  }

  public long id() {
    return id;
  }

  public StartCommand command() {
    return command;
  }

  long enqueuedAtNanos() {
    return enqueuedAtNanos;
  }

  Span waitSpan() {
    return waitSpan;
  }

  Span createSpan() {
    return createSpan;
  }

  /** The writer takes the ticket; false if it already expired. */
  boolean take() {
    return state.compareAndSet(QUEUED, TAKEN);
  }

  /** The ticket waited too long; false if the writer already took it. */
  boolean expire() {
    return state.compareAndSet(QUEUED, EXPIRED);
  }

  boolean queued() {
    return state.get() == QUEUED;
  }

  /** The answer, completed once with an outcome or a {@link FlowgateException}. */
  public CompletableFuture<StartOutcome> answer() {
    return answer;
  }

  boolean complete(StartOutcome outcome) {
    return answer.complete(outcome);
  }

  boolean fail(FlowgateException error) {
    return answer.completeExceptionally(error);
  }
}
