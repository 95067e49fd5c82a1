package io.flowgate.admission;

import io.flowgate.observability.StartLedger;
import io.flowgate.problem.FlowgateException;
import io.flowgate.store.StartCommand;
import io.flowgate.store.StartOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One admitted start request on its way through the queue to the store. It is answered exactly
 * once: {@link #take()} and {@link #expire()} race for it, and only the winner may answer. It
 * settles on its own flag, never on the subscriber: a client that hangs up cancels its copy of the
 * answer, not the ticket.
 */
public final class Ticket implements StartLedger.InFlight {

  private static final int QUEUED = 0;
  private static final int TAKEN = 1;
  private static final int EXPIRED = 2;

  private final long id;
  private final StartCommand command;
  private final long enqueuedAtNanos;
  private final String traceId;
  private final CompletableFuture<StartOutcome> answer = new CompletableFuture<>();
  private final AtomicInteger state = new AtomicInteger(QUEUED);
  private final AtomicBoolean settled = new AtomicBoolean();
  private final AtomicBoolean clientGone = new AtomicBoolean();

  Ticket(long id, StartCommand command, long enqueuedAtNanos) {
    this(id, command, enqueuedAtNanos, null);
  }

  /** {@code command} carries the ticket's span in its {@link StartCommand#commitTrace()}. */
  Ticket(long id, StartCommand command, long enqueuedAtNanos, String traceId) {
    this.id = id;
    this.command = command;
    this.enqueuedAtNanos = enqueuedAtNanos;
    this.traceId = traceId;
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

  @Override
  public long admittedAtNanos() {
    return enqueuedAtNanos;
  }

  @Override
  public String traceId() {
    return traceId;
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

  /**
   * A copy of the answer for one subscriber, completed once with an outcome or a {@link
   * FlowgateException}. Cancelling the copy (the client hung up) leaves the ticket untouched.
   */
  public CompletionStage<StartOutcome> answer() {
    return answer.copy();
  }

  /** Settles the ticket with its outcome; false if it was already settled. */
  boolean complete(StartOutcome outcome) {
    if (!settled.compareAndSet(false, true)) {
      return false;
    }
    answer.complete(outcome);
    return true;
  }

  /** Settles the ticket with an error; false if it was already settled. */
  boolean fail(FlowgateException error) {
    if (!settled.compareAndSet(false, true)) {
      return false;
    }
    answer.completeExceptionally(error);
    return true;
  }

  boolean settled() {
    return settled.get();
  }

  /** The client stopped waiting; true the first time, while the ticket is still unsettled. */
  boolean clientGone() {
    return !settled.get() && clientGone.compareAndSet(false, true);
  }
}
