package io.flowgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.observability.StartLedger.Settlement;
import io.flowgate.problem.ErrorCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The ledger's unaccounted figure is exact: 0 under any traffic while nothing is overdue. */
class StartLedgerTest {

  private static final int WRITERS = 6;
  private static final int REQUESTS_PER_WRITER = 200_000;

  @Test
  void unaccountedReadsZeroThroughoutHeavyConcurrentTraffic() throws Exception {
    StartLedger ledger = new StartLedger(new SimpleMeterRegistry());
    AtomicLong ids = new AtomicLong();
    AtomicBoolean done = new AtomicBoolean();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 1);
    try {
      Future<long[]> sampler =
          threads.submit(
              () -> {
                go.await();
                long samples = 0;
                long nonZero = 0;
                while (!done.get()) {
                  long value = ledger.unaccounted();
                  samples++;
                  if (value != 0) {
                    nonZero++;
                  }
                }
                return new long[] {samples, nonZero};
              });
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(
            threads.submit(
                () -> {
                  go.await();
                  // each writer keeps a few requests live at once, as concurrent batches do
                  long[] window = new long[8];
                  for (int i = 0; i < REQUESTS_PER_WRITER; i++) {
                    int slot = i % window.length;
                    if (window[slot] != 0) {
                      ledger.settled(window[slot], settlement(i), ErrorCode.QUEUE_TIMEOUT);
                    }
                    window[slot] = ids.incrementAndGet();
                    ledger.admitted(window[slot], "trace-" + writer);
                  }
                  for (long id : window) {
                    if (id != 0) {
                      ledger.settled(id, Settlement.COMMITTED, null);
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> writer : writers) {
        writer.get(120, TimeUnit.SECONDS);
      }
      done.set(true);
      long[] sampled = sampler.get(10, TimeUnit.SECONDS);

      assertThat(sampled[0]).as("samples taken during the traffic").isPositive();
      assertThat(sampled[1]).as("samples that were not 0, of %d", sampled[0]).isZero();
      assertThat(ledger.inFlight()).isZero();
      assertThat(ledger.admittedCount())
          .isEqualTo((long) WRITERS * REQUESTS_PER_WRITER)
          .isEqualTo(ledger.committedCount() + ledger.replayedCount() + ledger.failedCount());
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void overdueRequestsAndDoubleSettlementsAreCountedNeverNegative() throws Exception {
    StartLedger ledger = new StartLedger(new SimpleMeterRegistry());
    ledger.overdueAfter(Duration.ofMillis(1));
    ledger.admitted(1, "t1");
    ledger.admitted(2, "t2");
    Thread.sleep(5);
    assertThat(ledger.unaccounted()).isEqualTo(2);
    assertThat(ledger.overdueTraceIds()).containsExactlyInAnyOrder("t1", "t2");

    ledger.settled(1, Settlement.COMMITTED, null);
    ledger.settled(2, Settlement.FAILED, ErrorCode.OUTCOME_UNKNOWN);
    assertThat(ledger.unaccounted()).isZero();

    ledger.settled(2, Settlement.FAILED, ErrorCode.OUTCOME_UNKNOWN);
    ledger.settled(3, Settlement.COMMITTED, null);
    assertThat(ledger.unaccounted()).isEqualTo(2);
  }

  private static Settlement settlement(int i) {
    return switch (i % 3) {
      case 0 -> Settlement.COMMITTED;
      case 1 -> Settlement.REPLAYED;
      default -> Settlement.FAILED;
    };
  }
}
