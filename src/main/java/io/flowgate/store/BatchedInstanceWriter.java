package io.flowgate.store;

import io.flowgate.config.StoreConfig;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.flowgate.store.StoreFailures.StoreDataException;
import io.flowgate.store.StoreFailures.StoreRefusedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Batched mode: one transaction per batch, each attempt through the store's {@link TypedGuard}
 * (retry, breaker, timeout; see {@link StoreBoundary}). This class owns the batch, so it alone
 * decides what a failure means for the client: see {@link Attempts#mayHaveCommitted()}.
 *
 * <p>An error that concerns one item (its data, or its key locked past the lock timeout) does not
 * fail its neighbours: the batch is split in halves until the item stands alone. The split is
 * capped: a batch gets at most {@link #splitBudget} extra transactions, enough to isolate two bad
 * items at any batch size; what is left unisolated then is answered 503 (nothing written, retry),
 * so a batch of bad items cannot turn into 2n−1 transactions while the writer backs up.
 */
public class BatchedInstanceWriter implements InstanceWriter {

  private final TypedGuard<Uni<List<StartOutcome>>> guard;
  private final BatchStore store;
  private final StoreConfig config;
  private final Counter splits;

  public BatchedInstanceWriter(
      TypedGuard<Uni<List<StartOutcome>>> guard,
      BatchStore store,
      StoreConfig config,
      MeterRegistry registry) {
    this.guard = guard;
    this.store = store;
    this.config = config;
    this.splits =
        Counter.builder("flowgate.store.batch.splits")
            .description("batches split in halves to isolate an item the store refused")
            .register(registry);
  }

  @Override
  public Uni<List<ItemResult>> commit(List<StartCommand> batch) {
    return commit(batch, false, false, new AtomicInteger(splitBudget(batch.size())));
  }

  /** Extra transactions a batch of n may spend on isolating bad items: 4·⌈log2 n⌉. */
  static int splitBudget(int n) {
    int depth = 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1));
    return 4 * depth;
  }

  // earlierMayHaveCommitted: an attempt at a larger batch holding these commands may still commit,
  // so a failure of this one cannot say that nothing was written
  private Uni<List<ItemResult>> commit(
      List<StartCommand> batch,
      boolean earlierMayHaveCommitted,
      boolean afterLockTimeout,
      AtomicInteger budget) {
    Attempts attempts = new Attempts(store, batch, afterLockTimeout);
    return Uni.createFrom()
        .deferred(() -> guard.get(attempts::next))
        .map(outcomes -> outcomes.stream().map(ItemResult::of).toList())
        .onFailure()
        .recoverWithUni(
            failure -> {
              boolean unknown = earlierMayHaveCommitted || attempts.mayHaveCommitted();
              if (failure instanceof StoreDataException data) {
                return isolate(batch, data, unknown, afterLockTimeout, budget);
              }
              return Uni.createFrom().item(failAll(batch, failure, unknown));
            });
  }

  /**
   * The attempts the guard made at one batch. The one rule of OUTCOME_UNKNOWN: once the guard has
   * given up, the batch may have committed unless every attempt ended with the server's own answer
   * that nothing was committed (a data error, a refusal, a transient state reported before commit).
   * An attempt still running (its timeout ran out) or one that lost its connection without an
   * answer may commit, or may have.
   */
  static final class Attempts {
    private final BatchStore store;
    private final List<StartCommand> batch;
    private final boolean afterLockTimeout;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger provedNothingWritten = new AtomicInteger();

    Attempts(BatchStore store, List<StartCommand> batch, boolean afterLockTimeout) {
      this.store = store;
      this.batch = batch;
      this.afterLockTimeout = afterLockTimeout;
    }

    // one attempt, numbered from 1; its failure is counted before the guard sees it
    Uni<List<StartOutcome>> next() {
      int attempt = started.incrementAndGet();
      return store
          .write(batch, attempt, afterLockTimeout)
          .onFailure(Attempts::provesNothingWritten)
          .invoke(provedNothingWritten::incrementAndGet);
    }

    boolean mayHaveCommitted() {
      return started.get() > provedNothingWritten.get();
    }

    static boolean provesNothingWritten(Throwable failure) {
      return failure instanceof StoreDataException
          || failure instanceof StoreRefusedException
          || (failure instanceof TransientStoreException t && !t.ambiguous());
    }
  }

  private Uni<List<ItemResult>> isolate(
      List<StartCommand> batch,
      StoreDataException failure,
      boolean mayHaveCommitted,
      boolean afterLockTimeout,
      AtomicInteger budget) {
    if (batch.size() == 1) {
      return Uni.createFrom().item(List.of(ItemResult.failed(alone(failure, mayHaveCommitted))));
    }
    if (budget.addAndGet(-2) < 0) {
      Log.warnf(
          "split cap reached: %d starts answered 503 without isolating the bad item (%s)",
          batch.size(), failure.sqlState());
      FlowgateException error =
          mayHaveCommitted
              ? outcomeUnknown("an earlier attempt may still commit")
              : new FlowgateException(
                  ErrorCode.STORE_UNAVAILABLE,
                  "the store refused a neighbour in this request's batch; nothing was written",
                  1);
      return Uni.createFrom().item(batch.stream().map(c -> ItemResult.failed(error)).toList());
    }
    splits.increment();
    int half = batch.size() / 2;
    boolean locked = afterLockTimeout || failure.lockTimeout();
    return commit(batch.subList(0, half), mayHaveCommitted, locked, budget)
        .flatMap(
            first ->
                commit(batch.subList(half, batch.size()), mayHaveCommitted, locked, budget)
                    .map(
                        second -> {
                          List<ItemResult> all = new ArrayList<>(first);
                          all.addAll(second);
                          return all;
                        }));
  }

  // the answer of the one item the store refused, or whose key stayed locked
  static FlowgateException alone(StoreDataException failure, boolean mayHaveCommitted) {
    if (mayHaveCommitted) {
      return outcomeUnknown("an earlier attempt may still commit");
    }
    if (failure.lockTimeout()) {
      Log.warnf("start blocked by a lock on its idempotency key: %s", failure.getMessage());
      return new FlowgateException(
          ErrorCode.STORE_UNAVAILABLE,
          "the Idempotency-Key is locked by another unfinished transaction; nothing was written by"
              + " this request; retry later with the same key",
          1);
    }
    Log.warnf("start rejected by the store (%s): %s", failure.sqlState(), failure.getMessage());
    return new FlowgateException(
        ErrorCode.VALIDATION_FAILED, "the store rejected this request's data");
  }

  private static FlowgateException outcomeUnknown(String why) {
    return new FlowgateException(
        ErrorCode.OUTCOME_UNKNOWN, why + "; retry with the same Idempotency-Key", 1);
  }

  private static List<ItemResult> failAll(
      List<StartCommand> batch, Throwable failure, boolean mayHaveCommitted) {
    // the commit outcome is known only when every attempt proved that nothing was written
    FlowgateException error =
        mayHaveCommitted
            ? outcomeUnknown("an attempt may still commit")
            : StoreErrors.toAnswer(failure);
    return batch.stream().map(c -> ItemResult.failed(error)).toList();
  }

  @Override
  public int maxBatch() {
    return config.maxBatch();
  }

  @Override
  public int maxInFlight() {
    return config.maxInFlight();
  }

  @Override
  public long lingerMillis() {
    return config.linger().toMillis();
  }

  /** The answer a client gets for a store failure. */
  static final class StoreErrors {
    private StoreErrors() {}

    static FlowgateException toAnswer(Throwable failure) {
      if (failure instanceof CircuitBreakerOpenException) {
        return new FlowgateException(ErrorCode.STORE_UNAVAILABLE, "the store is unavailable", 2);
      }
      if (failure instanceof StoreRefusedException refused) {
        Log.warnf("the store refused a start: %s", refused.getMessage());
        return new FlowgateException(
            ErrorCode.STORE_UNAVAILABLE,
            "the store refused the transaction (SQL state "
                + refused.sqlState()
                + "); nothing was written",
            2);
      }
      if (failure instanceof TransientStoreException t && !t.ambiguous()) {
        return new FlowgateException(ErrorCode.STORE_UNAVAILABLE, "the store is unavailable", 1);
      }
      if (failure instanceof TimeoutException || failure instanceof TransientStoreException) {
        return outcomeUnknown("the commit did not confirm in time");
      }
      Log.errorf(failure, "unexpected store failure");
      return outcomeUnknown("the commit outcome is unknown");
    }
  }
}
