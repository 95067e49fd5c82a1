package io.flowgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.config.StoreConfig;
import io.flowgate.support.StartCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The batched writer's split and retry logic and its one rule of OUTCOME_UNKNOWN, without Quarkus:
 * a scripted store, and a guard that retries at once and times an attempt out when it does not
 * answer at once (so no test waits).
 */
class BatchedInstanceWriterTest {

  private static final int MAX_RETRIES = 2;

  /** What the fake store does with one attempt. */
  private enum Act {
    COMMIT,
    STALL,
    TRANSIENT,
    LOST_CONNECTION
  }

  /** A store that refuses the rows of poison keys and plays a script of acts, then commits. */
  private static final class ScriptedStore implements BatchStore {
    final Set<String> poison = new HashSet<>();
    final List<Act> script = new ArrayList<>();
    final List<Integer> transactionSizes = new ArrayList<>();
    final List<Integer> attemptNumbers = new ArrayList<>();

    @Override
    public Uni<List<StartOutcome>> write(
        List<StartCommand> batch, int attempt, boolean afterLockTimeout) {
      transactionSizes.add(batch.size());
      attemptNumbers.add(attempt);
      Act act = script.isEmpty() ? Act.COMMIT : script.remove(0);
      return switch (act) {
        case STALL -> Uni.createFrom().nothing();
        case TRANSIENT ->
            Uni.createFrom().failure(new TransientStoreException("40001", null, false));
        case LOST_CONNECTION ->
            Uni.createFrom().failure(new TransientStoreException("closed", null, true));
        case COMMIT -> commit(batch);
      };
    }

    private Uni<List<StartOutcome>> commit(List<StartCommand> batch) {
      for (StartCommand c : batch) {
        if (poison.contains(c.idempotencyKey())) {
          return Uni.createFrom()
              .failure(new StoreFailures.StoreDataException("23514", "check violated", null));
        }
      }
      return Uni.createFrom()
          .item(
              batch.stream()
                  .map(
                      c ->
                          StartOutcome.created(
                              new InstanceSummary(
                                  1, 1, 1, 1, "SUBMITTED", c.idempotencyKey(), null, null)))
                  .toList());
    }
  }

  /**
   * Retries transient failures and timeouts at once; an attempt that does not answer at once times
   * out.
   */
  private static final class ImmediateGuard implements TypedGuard<Uni<List<StartOutcome>>> {
    boolean open;

    @Override
    public Uni<List<StartOutcome>> call(java.util.concurrent.Callable<Uni<List<StartOutcome>>> c) {
      return get(
          () -> {
            try {
              return c.call();
            } catch (Exception e) {
              return Uni.createFrom().failure(e);
            }
          });
    }

    @Override
    public Uni<List<StartOutcome>> get(Supplier<Uni<List<StartOutcome>>> attempt) {
      if (open) {
        return Uni.createFrom().failure(new CircuitBreakerOpenException("store"));
      }
      return attempt(attempt, 0);
    }

    private Uni<List<StartOutcome>> attempt(Supplier<Uni<List<StartOutcome>>> attempt, int made) {
      return Uni.createFrom()
          .deferred(
              () -> {
                CompletableFuture<List<StartOutcome>> answer =
                    attempt.get().subscribeAsCompletionStage();
                return answer.isDone()
                    ? Uni.createFrom().completionStage(answer)
                    : Uni.createFrom().<List<StartOutcome>>failure(new TimeoutException());
              })
          .onFailure(f -> f instanceof TransientStoreException || f instanceof TimeoutException)
          .recoverWithUni(
              f ->
                  made < MAX_RETRIES
                      ? attempt(attempt, made + 1)
                      : Uni.createFrom().<List<StartOutcome>>failure(f));
    }
  }

  private final ScriptedStore store = new ScriptedStore();
  private final ImmediateGuard guard = new ImmediateGuard();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final BatchedInstanceWriter writer =
      new BatchedInstanceWriter(guard, store, config(), registry);

  @Test
  void aRefusedItemIsIsolatedByHalvingAndItsNeighboursCommit() {
    store.poison.add("k5");

    List<ItemResult> results = commit(8);

    assertThat(codes(results))
        .containsExactly(null, null, null, null, null, "VALIDATION_FAILED", null, null);
    // 8 fails; 4 commits, 4 fails; 2 (k4, k5) fails; 1 commits, 1 fails; 2 (k6, k7) commits:
    // seven transactions, three splits
    assertThat(store.transactionSizes).containsExactly(8, 4, 4, 2, 1, 1, 2);
    assertThat(splits()).isEqualTo(3);
  }

  @Test
  void aBatchOfBadItemsStopsSplittingAtTheBudgetAndAnswersNothingWritten() {
    IntStream.range(0, 16).forEach(i -> store.poison.add("k" + i));

    List<ItemResult> results = commit(16);

    assertThat(store.transactionSizes.size() - 1)
        .isLessThanOrEqualTo(BatchedInstanceWriter.splitBudget(16));
    assertThat(codes(results))
        .contains("STORE_UNAVAILABLE")
        .containsOnly("STORE_UNAVAILABLE", "VALIDATION_FAILED");
    assertThat(store.transactionSizes.size()).isLessThan(2 * 16 - 1);
  }

  @Test
  void aTransientFailureIsRetriedWithTheNextAttemptNumberAndCommits() {
    store.script.add(Act.TRANSIENT);

    List<ItemResult> results = commit(3);

    assertThat(codes(results)).containsOnlyNulls();
    assertThat(store.attemptNumbers).containsExactly(1, 2);
    assertThat(splits()).isZero();
  }

  @Test
  void retriesThatEachProvedNothingWasWrittenAnswerStoreUnavailable() {
    store.script.addAll(List.of(Act.TRANSIENT, Act.TRANSIENT, Act.TRANSIENT));

    List<ItemResult> results = commit(2);

    assertThat(codes(results)).containsOnly("STORE_UNAVAILABLE");
    assertThat(store.attemptNumbers).containsExactly(1, 2, 3);
  }

  @Test
  void anAttemptThatTimedOutMakesTheOutcomeUnknownThoughTheLastOneWasRefused() {
    store.script.addAll(List.of(Act.STALL, Act.TRANSIENT, Act.TRANSIENT));

    List<ItemResult> results = commit(2);

    assertThat(codes(results)).containsOnly("OUTCOME_UNKNOWN");
  }

  @Test
  void aLostConnectionMakesTheOutcomeUnknown() {
    store.script.addAll(List.of(Act.TRANSIENT, Act.TRANSIENT, Act.LOST_CONNECTION));

    assertThat(codes(commit(2))).containsOnly("OUTCOME_UNKNOWN");
  }

  @Test
  void aDataErrorAfterAnUnconfirmedAttemptLeavesTheRefusedItemUnknown() {
    store.script.add(Act.STALL);
    store.poison.add("k1");

    List<ItemResult> results = commit(2);

    // the stalled attempt at both may still commit k1: its answer cannot be "rejected"
    assertThat(codes(results)).containsExactly(null, "OUTCOME_UNKNOWN");
    assertThat(splits()).isEqualTo(1);
  }

  @Test
  void anOpenBreakerWritesNothingAndSaysSo() {
    guard.open = true;

    List<ItemResult> results = commit(3);

    assertThat(codes(results)).containsOnly("STORE_UNAVAILABLE");
    assertThat(store.transactionSizes).isEmpty();
  }

  private List<ItemResult> commit(int n) {
    List<StartCommand> batch = IntStream.range(0, n).mapToObj(i -> command("k" + i)).toList();
    return writer.commit(batch).await().atMost(Duration.ofSeconds(5));
  }

  private double splits() {
    return registry.counter("flowgate.store.batch.splits").count();
  }

  private static List<String> codes(List<ItemResult> results) {
    return results.stream().map(r -> r.error() == null ? null : r.error().code().name()).toList();
  }

  private static StartCommand command(String key) {
    return StartCommands.keyed(key);
  }

  private static StoreConfig config() {
    return new StoreConfig() {
      @Override
      public WriteMode writeMode() {
        return WriteMode.BATCHED;
      }

      @Override
      public int maxBatch() {
        return 256;
      }

      @Override
      public Duration linger() {
        return Duration.ofMillis(2);
      }

      @Override
      public int maxInFlight() {
        return 4;
      }

      @Override
      public Duration commitTimeout() {
        return Duration.ofSeconds(3);
      }
    };
  }
}
