package io.flowgate.store;

import io.flowgate.config.StoreConfig;
import io.flowgate.observability.ErrorCode;
import io.flowgate.observability.FlowgateException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Batched mode: one transaction per batch through the store boundary. A data error in one item does
 * not fail its neighbours: the batch is split in halves until the bad item stands alone.
 */
public class BatchedInstanceWriter implements InstanceWriter {

  private final StoreBoundary boundary;
  private final StoreConfig config;

  public BatchedInstanceWriter(StoreBoundary boundary, StoreConfig config) {
    this.boundary = boundary;
    this.config = config;
  }

  @Override
  public Uni<List<ItemResult>> commit(List<StartCommand> batch) {
    return commit(batch, false);
  }

  // mayHaveCommitted: an attempt at a larger batch holding these commands may still commit, so a
  // failure of this one cannot say that nothing was written
  private Uni<List<ItemResult>> commit(List<StartCommand> batch, boolean mayHaveCommitted) {
    StoreBoundary.Attempts attempts = new StoreBoundary.Attempts(batch, mayHaveCommitted);
    return boundary
        .commit(attempts)
        .map(outcomes -> outcomes.stream().map(ItemResult::of).toList())
        .onFailure(StoreFailures::isDataError)
        .recoverWithUni(failure -> isolate(batch, failure, attempts.mayHaveCommitted()))
        .onFailure()
        .recoverWithItem(failure -> failAll(batch, failure, attempts.mayHaveCommitted()));
  }

  private Uni<List<ItemResult>> isolate(
      List<StartCommand> batch, Throwable failure, boolean mayHaveCommitted) {
    if (batch.size() == 1) {
      Log.warnf("start rejected by the store: %s", failure.getMessage());
      FlowgateException error =
          mayHaveCommitted
              ? new FlowgateException(
                  ErrorCode.OUTCOME_UNKNOWN,
                  "an earlier attempt may still commit; retry with the same Idempotency-Key",
                  1)
              : new FlowgateException(
                  ErrorCode.VALIDATION_FAILED, "the store rejected this request's data");
      return Uni.createFrom().item(List.of(ItemResult.failed(error)));
    }
    int half = batch.size() / 2;
    return commit(batch.subList(0, half), mayHaveCommitted)
        .flatMap(
            first ->
                commit(batch.subList(half, batch.size()), mayHaveCommitted)
                    .map(
                        second -> {
                          List<ItemResult> all = new ArrayList<>(first);
                          all.addAll(second);
                          return all;
                        }));
  }

  private static List<ItemResult> failAll(
      List<StartCommand> batch, Throwable failure, boolean mayHaveCommitted) {
    FlowgateException error =
        mayHaveCommitted
            ? new FlowgateException(
                ErrorCode.OUTCOME_UNKNOWN,
                "an attempt may still commit; retry with the same Idempotency-Key",
                1)
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
      if (failure instanceof TransientStoreException t && !t.ambiguous()) {
        return new FlowgateException(ErrorCode.STORE_UNAVAILABLE, "the store is unavailable", 1);
      }
      if (failure instanceof TimeoutException || failure instanceof TransientStoreException) {
        return new FlowgateException(
            ErrorCode.OUTCOME_UNKNOWN,
            "the commit did not confirm in time; retry with the same Idempotency-Key",
            1);
      }
      Log.errorf(failure, "unexpected store failure");
      return new FlowgateException(
          ErrorCode.OUTCOME_UNKNOWN, "the commit outcome is unknown; retry with the same key", 1);
    }
  }
}
