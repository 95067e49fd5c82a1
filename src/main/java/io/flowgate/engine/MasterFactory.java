package io.flowgate.engine;

import io.flowgate.config.EngineConfig;
import io.flowgate.definition.TaskTypes;
import io.flowgate.persistence.Notifications;
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
  private final TaskTypes types;

  public MasterFactory(
      Pool pool,
      Vertx vertx,
      EngineConfig config,
      Notifications notifications,
      DagCache dags,
      EngineTracing tracing,
      EngineMetrics metrics,
      TaskTypes types) {
    this.types = types;
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
    InlineTasks inline = new InlineTasks(types, m.inlineTasks());
    InstanceClaimer claimer =
        new InstanceClaimer(owner, pool, m, dags, tracing, metrics, notifications, inline);
    DagAdvancer advancer =
        new DagAdvancer(owner, pool, m.claimBatch(), dags, tracing, notifications, inline, metrics);
    return new Master(owner, pool, vertx, m, notifications, claimer, advancer, metrics);
  }
}
