package io.flowgate.engine;

import io.flowgate.config.EngineConfig;
import io.flowgate.persistence.Notifications;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/** Starts this process's master and reconciler when {@code flowgate.roles} contains master. */
@ApplicationScoped
public class MasterRole {

  private final EngineConfig config;
  private final MasterFactory factory;
  private final Reconciler reconciler;
  private final Notifications notifications;
  private volatile Master master;

  public MasterRole(
      EngineConfig config,
      MasterFactory factory,
      Reconciler reconciler,
      Notifications notifications) {
    this.config = config;
    this.factory = factory;
    this.reconciler = reconciler;
    this.notifications = notifications;
  }

  void onStart(@Observes StartupEvent event) {
    if (config.roles().contains(EngineConfig.Role.master)) {
      start();
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    Master running = master;
    if (running != null) {
      master = null;
      reconciler.stop();
      try {
        running.stopAndRelease().await().atMost(Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        Log.warnf("Master %s could not release its leases: %s", running.owner(), e.getMessage());
      }
    }
    notifications.close();
  }

  /** Starts the master (again, after {@link #master()} was stopped). */
  public synchronized void start() {
    master = factory.create(ReplicaId.get());
    master.start();
    reconciler.start(master);
  }

  /** The running master, or null. */
  public Master master() {
    return master;
  }
}
