package io.flowgate.engine;

import io.flowgate.config.EngineConfig;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** Builds master replicas: the process's own, and more of them in tests. */
@ApplicationScoped
public class MasterFactory {

  private final Pool pool;
  private final Vertx vertx;
  private final EngineConfig config;
  private final Notifications notifications;
  private final DagCache dags;
  private final EngineTracing tracing;
  private final EngineMetrics metrics;

  public MasterFactory(
      Pool pool,
      Vertx vertx,
      EngineConfig config,
      Notifications notifications,
      DagCache dags,
      EngineTracing tracing,
      EngineMetrics metrics) {
    this.pool = pool;
    this.vertx = vertx;
    this.config = config;
    this.notifications = notifications;
    this.dags = dags;
    this.tracing = tracing;
    this.metrics = metrics;
  }

  public Master create(String owner) {
    EngineConfig.Master m = config.master();
    InstanceClaimer claimer =
        new InstanceClaimer(owner, pool, m, dags, tracing, metrics, notifications);
    DagAdvancer advancer =
        new DagAdvancer(owner, pool, m.claimBatch(), dags, tracing, notifications);
    return new Master(owner, pool, vertx, m, notifications, claimer, advancer, metrics);
  }
}
