package io.flowgate.worker;

import io.flowgate.config.EngineConfig;
import io.flowgate.engine.ReplicaId;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/** Starts this process's worker when {@code flowgate.roles} contains worker. */
@ApplicationScoped
public class WorkerRole {

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

  void onStop(@Observes ShutdownEvent event) {
    Worker running = worker;
    if (running != null) {
      worker = null;
      try {
        running.stopAndRelease().await().atMost(Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        Log.warnf("Worker %s could not release its tasks: %s", running.owner(), e.getMessage());
      }
    }
  }

  /** The running worker, or null. */
  public Worker worker() {
    return worker;
  }
}
