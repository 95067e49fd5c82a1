package io.flowgate.worker;

import io.flowgate.config.EngineConfig;
import io.flowgate.engine.EngineMetrics;
import io.flowgate.persistence.Notifications;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** Builds worker replicas: the process's own, and more of them in tests. */
@ApplicationScoped
public class WorkerFactory {

  private final Pool pool;
  private final Vertx vertx;
  private final EngineConfig config;
  private final Notifications notifications;
  private final TaskRunner runner;
  private final EngineMetrics metrics;

  public WorkerFactory(
      Pool pool,
      Vertx vertx,
      EngineConfig config,
      Notifications notifications,
      TaskRunner runner,
      EngineMetrics metrics) {
    this.pool = pool;
    this.vertx = vertx;
    this.config = config;
    this.notifications = notifications;
    this.runner = runner;
    this.metrics = metrics;
  }

  public Worker create(String owner) {
    return new Worker(owner, pool, vertx, config.worker(), notifications, runner, metrics);
  }
}
