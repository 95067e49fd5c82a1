package io.flowgate.worker;

import io.flowgate.config.EngineConfig;
import io.flowgate.engine.ReplicaId;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * Starts this process's worker when {@code flowgate.roles} contains worker, and drains it on
 * SIGTERM: the drain starts with the shutdown (in parallel with the admission queue's drain) and
 * the process waits for it, at most {@code flowgate.worker.drain-period} plus a short margin.
 */
@ApplicationScoped
public class WorkerRole {

  private static final Duration RELEASE_MARGIN = Duration.ofSeconds(3);

  private final EngineConfig config;
  private final WorkerFactory factory;
  private volatile Worker worker;

  public WorkerRole(EngineConfig config, WorkerFactory factory) {
    this.config = config;
    this.factory = factory;
  }

  void onStart(@Observes StartupEvent event) {
    if (config.roles().contains(EngineConfig.Role.worker)) {
      start();
    }
  }

  /** Starts the worker (again, after {@link #worker()} was stopped). */
  public synchronized void start() {
    worker = factory.create(ReplicaId.get());
    worker.start();
  }

  // SIGTERM, first phase: stop claiming at once, let running tasks go on
  void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
    beginDrain();
  }

  // early among the shutdown observers, so that the drain runs while the others do their part
  void onShutdownBegins(@Observes @Priority(1) ShutdownEvent event) {
    beginDrain();
  }

  void onStop(@Observes @Priority(5000) ShutdownEvent event) {
    Worker running = worker;
    if (running != null) {
      worker = null;
      drain(running);
    }
  }

  private void beginDrain() {
    Worker running = worker;
    if (running != null) {
      running.drain(config.worker().drainPeriod()).subscribe().with(v -> {}, e -> {});
    }
  }

  /** Drains the worker and waits for it, bounded by the drain period plus a margin. */
  public void drain(Worker running) {
    try {
      running
          .drain(config.worker().drainPeriod())
          .await()
          .atMost(config.worker().drainPeriod().plus(RELEASE_MARGIN));
    } catch (RuntimeException e) {
      Log.warnf("Worker %s did not drain cleanly: %s", running.owner(), e.getMessage());
    }
  }

  /** The running worker, or null. */
  public Worker worker() {
    return worker;
  }
}
