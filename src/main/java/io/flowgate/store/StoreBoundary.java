package io.flowgate.store;

import io.flowgate.config.StoreConfig;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The fault-tolerance boundary of the store, and the only one: bounded retries with jitter for
 * transient failures (safe, since a retried batch recognises its own rows by request id), a named
 * circuit breaker, and a timeout per attempt ({@code flowgate.store.commit-timeout}). The timeout
 * is the attempt's own, not the fault-tolerance one: an attempt that is given up may still commit,
 * so it must mark its batch before anything else can answer for it. Override the retry and breaker
 * bounds with {@code quarkus.fault-tolerance."io.flowgate.store.StoreBoundary/commit".*}.
 */
@ApplicationScoped
public class StoreBoundary {

  /** Name of the breaker, as seen by health checks and the admission path. */
  public static final String BREAKER = "store";

  private final BatchWriter writer;
  private final Duration commitTimeout;

  public StoreBoundary(BatchWriter writer, StoreConfig config) {
    this.writer = writer;
    this.commitTimeout = config.commitTimeout();
  }

  /** Commits one batch; every attempt gets its own span, numbered from 1. */
  @Retry(
      maxRetries = 2,
      delay = 50,
      jitter = 25,
      retryOn = {TransientStoreException.class, TimeoutException.class})
  @CircuitBreaker(
      requestVolumeThreshold = 8,
      failureRatio = 0.5,
      delay = 2000,
      successThreshold = 1,
      failOn = {
        TransientStoreException.class,
        StoreFailures.StoreRefusedException.class,
        TimeoutException.class
      })
  @CircuitBreakerName(BREAKER)
  public Uni<List<StartOutcome>> commit(Attempts batch) {
    // an attempt that may still commit after it was given up (timeout, dropped connection)
    // makes the whole batch's outcome unknown
    return writer
        .write(batch.commands(), batch.next(), batch.afterLockTimeout())
        .ifNoItem()
        .after(commitTimeout)
        .failWith(
            () -> {
              batch.markAmbiguous();
              return new TransientStoreException(
                  "no commit confirmation within " + commitTimeout, null, true);
            })
        .onCancellation()
        .invoke(batch::markAmbiguous)
        .onFailure()
        .invoke(
            failure -> {
              // the server's own answer (data, refusal, transient state) means no commit
              if (!(failure instanceof StoreFailures.StoreDataException)
                  && !(failure instanceof StoreFailures.StoreRefusedException)
                  && !(failure instanceof TransientStoreException t && !t.ambiguous())) {
                batch.markAmbiguous();
              }
            });
  }

  /**
   * A batch, the number of attempts made at it, whether one of them may have committed, and whether
   * it was split off after a lock timeout.
   */
  public record Attempts(
      List<StartCommand> commands,
      AtomicInteger made,
      AtomicBoolean ambiguous,
      boolean afterLockTimeout) {
    public Attempts(List<StartCommand> commands) {
      this(commands, false, false);
    }

    /** A batch split off a larger one whose attempts may already have committed it. */
    public Attempts(
        List<StartCommand> commands, boolean mayHaveCommitted, boolean afterLockTimeout) {
      this(commands, new AtomicInteger(), new AtomicBoolean(mayHaveCommitted), afterLockTimeout);
    }

    int next() {
      return made.incrementAndGet();
    }

    void markAmbiguous() {
      ambiguous.set(true);
    }

    public boolean mayHaveCommitted() {
      return ambiguous.get();
    }
  }
}
