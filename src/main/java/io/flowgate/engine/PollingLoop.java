package io.flowgate.engine;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs one step again and again on Vert.x timers: at once while a step found work, after the
 * interval when it found none, and early when woken. A failing step is logged, counted and retried
 * after the interval: the loop never dies.
 */
public final class PollingLoop {

  private static final Duration STEP_LIMIT = Duration.ofSeconds(60);

  private final String name;
  private final Vertx vertx;
  private final long intervalMillis;
  private final Supplier<Uni<Integer>> step;
  private final Runnable onError;
  private boolean running;
  private boolean busy;
  private boolean wakeRequested;
  private long timer = -1;

  /**
   * @param step does one round of work and tells how many items it handled
   */
  public PollingLoop(
      String name, Vertx vertx, Duration interval, Supplier<Uni<Integer>> step, Runnable onError) {
    this.name = name;
    this.vertx = vertx;
    this.intervalMillis = Math.max(1, interval.toMillis());
    this.step = step;
    this.onError = onError;
  }

  public synchronized void start() {
    running = true;
    schedule(1);
  }

  public synchronized void stop() {
    running = false;
    cancelTimer();
  }

  public synchronized boolean running() {
    return running;
  }

  /** Whether a step is under way (it finishes even after {@link #stop}). */
  public synchronized boolean busy() {
    return busy;
  }

  /** Runs the step soon, or once more right after the current one. */
  public synchronized void wake() {
    if (!running) {
      return;
    }
    if (busy) {
      wakeRequested = true;
    } else {
      cancelTimer();
      schedule(1);
    }
  }

  private synchronized void runOnce() {
    timer = -1;
    if (!running || busy) {
      return;
    }
    busy = true;
    wakeRequested = false;
    Uni.createFrom()
        .deferred(() -> step.get())
        .ifNoItem()
        .after(STEP_LIMIT)
        .fail()
        .subscribe()
        .with(
            handled -> done(handled != null && handled > 0),
            failure -> {
              Log.warnf(failure, "Loop %s failed a step; continuing", name);
              onError.run();
              done(false);
            });
  }

  private synchronized void done(boolean more) {
    busy = false;
    if (running) {
      schedule(more || wakeRequested ? 1 : intervalMillis);
    }
  }

  private void schedule(long delayMillis) {
    cancelTimer();
    timer = vertx.setTimer(delayMillis, id -> runOnce());
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
