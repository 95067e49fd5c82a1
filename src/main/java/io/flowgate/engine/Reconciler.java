package io.flowgate.engine;

import io.flowgate.config.EngineConfig;
import io.flowgate.engine.Transitions.Transition;
import io.flowgate.store.TraceParents;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.MDC;

/**
 * Looks for what slipped: instances SUBMITTED past the claim SLA (gauge, count, log, wake the claim
 * loop) and tasks whose worker lease expired (back to DISPATCHED for another worker).
 */
@ApplicationScoped
public class Reconciler {

  private static final String STUCK =
      "select id, trace_parent, count(*) over () as total from workflow_instance w"
          + " where state = 'SUBMITTED' and created_at < now() - make_interval(secs => $1)"
          // a serial complement date waits for its predecessor: due only from the latter's end
          + " and (run_after is null or (select p.ended_at from workflow_instance p"
          + "   where p.id = w.run_after) < now() - make_interval(secs => $1))"
          + " order by created_at limit 100";
  private static final String EXPIRED_TASKS =
      "with c as (select id from task_instance where state = 'RUNNING' and lease_expires_at < now()"
          + "   limit 500 for no key update skip locked)"
          + " update task_instance t set state = 'DISPATCHED', lease_owner = null,"
          + "   lease_expires_at = null, not_before = now(), updated_at = now()"
          + " from c where t.id = c.id returning t.instance_id, t.task_code, t.attempt";

  private final Pool pool;
  private final Vertx vertx;
  private final EngineConfig.Reconciler config;
  private final EngineMetrics metrics;
  private PollingLoop loop;
  private Master master;

  public Reconciler(Pool pool, Vertx vertx, EngineConfig config, EngineMetrics metrics) {
    this.pool = pool;
    this.vertx = vertx;
    this.config = config.reconciler();
    this.metrics = metrics;
  }

  synchronized void start(Master master) {
    stop();
    this.master = master;
    loop =
        new PollingLoop(
            "reconciler",
            vertx,
            config.interval(),
            this::reconcile,
            metrics.loopError("reconciler"));
    loop.start();
  }

  synchronized void stop() {
    if (loop != null) {
      loop.stop();
      loop = null;
    }
  }

  /** One pass; always waits for the next interval. */
  public Uni<Integer> reconcile() {
    return redriveStuck().flatMap(stuck -> returnExpiredTasks()).replaceWith(0);
  }

  private Uni<Void> redriveStuck() {
    double sla = config.claimSla().toMillis() / 1000.0;
    return pool.preparedQuery(STUCK)
        .execute(Tuple.of(sla))
        .map(
            rows -> {
              long total = 0;
              for (var row : rows) {
                total = row.getLong("total");
                metrics.redriven();
                String traceId = TraceParents.traceId(row.getString("trace_parent"));
                MDC.put("traceId", traceId == null ? "" : traceId);
                Log.warnf(
                    "Instance %d SUBMITTED past the claim SLA; re-driving it (traceId=%s)",
                    row.getLong("id"), traceId);
                MDC.remove("traceId");
              }
              metrics.stuck(total);
              Master m = master;
              if (total > 0 && m != null) {
                m.wakeClaims();
              }
              return total;
            })
        .flatMap(
            total ->
                total == 0
                    ? Uni.createFrom().voidItem()
                    : pool.query("notify " + Notifications.INSTANCES).execute().replaceWithVoid());
  }

  private Uni<Void> returnExpiredTasks() {
    return pool.withTransaction(
        conn ->
            conn.query(EXPIRED_TASKS)
                .execute()
                .flatMap(
                    rows -> {
                      List<Transition> history = new ArrayList<>();
                      rows.forEach(
                          r ->
                              history.add(
                                  new Transition(
                                      r.getLong("instance_id"),
                                      r.getString("task_code"),
                                      r.getInteger("attempt"),
                                      "DISPATCHED",
                                      "worker lease expired; dispatched again")));
                      if (history.isEmpty()) {
                        return Uni.createFrom().voidItem();
                      }
                      Log.infof("Returned %d tasks with expired leases", history.size());
                      return Transitions.append(conn, history)
                          .flatMap(v -> conn.query("notify " + Notifications.TASKS).execute())
                          .replaceWithVoid();
                    }));
  }
}
