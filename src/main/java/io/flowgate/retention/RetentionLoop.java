package io.flowgate.retention;

import io.flowgate.config.EngineConfig;
import io.flowgate.config.RetentionConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Runs {@link RetentionJob#tick} in processes with the master role when retention is enabled: a
 * Vert.x timer set again after each tick ends (the project has no scheduler extension, and a tick
 * never overlaps the next), cancelled on shutdown. A failed tick is logged, counted and retried.
 */
@ApplicationScoped
public class RetentionLoop {

  private final RetentionConfig config;
  private final EngineConfig engine;
  private final RetentionJob job;
  private final RetentionMetrics metrics;
  private final Vertx vertx;
  private boolean running;
  private long timer = -1;

  public RetentionLoop(
      RetentionConfig config,
      EngineConfig engine,
      RetentionJob job,
      RetentionMetrics metrics,
      Vertx vertx) {
    this.config = config;
    this.engine = engine;
    this.job = job;
    this.metrics = metrics;
    this.vertx = vertx;
  }

  void onStart(@Observes StartupEvent event) {
    ArchiveTarget target = ArchiveTarget.of(config.archive());
    if (config.batchSize() < 1 || config.maxBatchesPerTick() < 1) {
      throw new IllegalStateException(
          "flowgate.retention.batch-size and max-batches-per-tick must be at least 1");
    }
    if (config.enabled() && engine.roles().contains(EngineConfig.Role.master)) {
      Log.infof(
          "Retention: finished instances kept %s by default, up to %d x %d removed every %s%s",
          config.period(),
          config.maxBatchesPerTick(),
          config.batchSize(),
          config.interval(),
          archivedTo(target));
      start();
    }
  }

  private String archivedTo(ArchiveTarget target) {
    return switch (target) {
      case DIRECTORY -> ", archived to " + config.archive().directory().get();
      case S3 -> ", archived to bucket " + config.archive().s3().bucket().get();
      case NONE -> "";
    };
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  synchronized void start() {
    running = true;
    schedule();
  }

  synchronized void stop() {
    running = false;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private synchronized void schedule() {
    if (running) {
      timer = vertx.setTimer(Math.max(1, config.interval().toMillis()), id -> runTick());
    }
  }

  private void runTick() {
    synchronized (this) {
      timer = -1;
      if (!running) {
        return;
      }
    }
    job.tick()
        .subscribe()
        .with(
            tick -> {
              if (tick.instances() > 0) {
                Log.debugf("Retention removed %d instances", tick.instances());
              }
              schedule();
            },
            failure -> {
              metrics.error();
              Log.warnf("Retention tick failed, retried in %s: %s", config.interval(), failure);
              schedule();
            });
  }
}
