package io.flowgate.engine;

import io.flowgate.config.EngineConfig;
import io.flowgate.engine.Transitions.Transition;
import io.flowgate.persistence.Notifications;
import io.flowgate.store.InstanceRow;
import io.flowgate.store.TaskRow;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.MDC;

/**
 * Looks for every shape of "stuck", counts each in its own metric and re-drives or fails it with a
 * recorded reason: instances SUBMITTED past the claim SLA (wake the claim loops), RUNNING tasks
 * whose worker stopped renewing the lease (back to DISPATCHED), RUNNING tasks past their timeout
 * plus a margin although their lease is renewed (FAILURE, so retries apply), and RUNNING instances
 * with no state change and nothing running for the no-progress period (re-planned).
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
  // the bound a task runs within: its timeout, a WAIT's own seconds, else the HTTP timeout
  private static final String OVERDUE_TASKS =
      "with c as (select id from task_instance where state = 'RUNNING'"
          + "   and started_at < now() - make_interval(secs => $2 + coalesce(timeout_seconds,"
          + "     case when task_type = 'WAIT' and jsonb_typeof(params->'seconds') = 'number'"
          + "       then (params->>'seconds')::numeric end, $1))"
          + "   limit 500 for no key update skip locked)"
          + " update task_instance t set state = 'FAILURE', lease_owner = null,"
          + "   lease_expires_at = null, ended_at = now(), updated_at = now(),"
          + "   error = 'overdue: no result within its timeout plus the reconciler margin'"
          + " from c where t.id = c.id returning t.instance_id, t.task_code, t.attempt";
  private static final String NO_PROGRESS =
      "select i.id, i.state, count(*) over () as total from workflow_instance i"
          + " where i.state in ('RUNNING', 'STOPPING')"
          + "   and i.updated_at < now() - make_interval(secs => $1)"
          + "   and not exists (select 1 from task_instance t where t.instance_id = i.id"
          + "     and t.state = 'RUNNING' and t.lease_expires_at > now())"
          + "   and not exists (select 1 from instance_transition h where h.instance_id = i.id"
          + "     and h.at > now() - make_interval(secs => $1))"
          + " order by i.updated_at limit 100";
  // nothing active and nothing left to advance: hand its results to its master once more
  private static final String REPLAN =
      "with c as (select i.id from workflow_instance i where i.id = any($1) and i.state = 'RUNNING'"
          + "   and not exists (select 1 from task_instance t where t.instance_id = i.id"
          + "     and (t.state in ('SUBMITTED', 'DISPATCHED', 'RUNNING') or not t.advanced))"
          + "   for no key update skip locked),"
          + " u as (update task_instance t set advanced = false from c"
          + "   where t.instance_id = c.id and t.state in ('SUCCESS', 'FAILURE', 'STOPPED')"
          + "   returning t.instance_id)"
          + " update workflow_instance i set updated_at = now() from c where i.id = c.id"
          + " returning i.id, (select count(*) from u where u.instance_id = i.id) as results";

  private final Pool pool;
  private final Vertx vertx;
  private final EngineConfig.Reconciler config;
  private final double httpTimeoutSeconds;
  private final EngineMetrics metrics;
  private final Notifications notifications;
  private PollingLoop loop;
  private Master master;

  public Reconciler(
      Pool pool,
      Vertx vertx,
      EngineConfig config,
      EngineMetrics metrics,
      Notifications notifications) {
    this.pool = pool;
    this.vertx = vertx;
    this.config = config.reconciler();
    this.httpTimeoutSeconds = seconds(config.worker().httpTimeout());
    this.metrics = metrics;
    this.notifications = notifications;
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
    return redriveStuck()
        .flatMap(v -> returnExpiredTasks())
        .flatMap(v -> failOverdueTasks())
        .flatMap(v -> replanIdle())
        .replaceWith(0);
  }

  private static double seconds(java.time.Duration d) {
    return d.toMillis() / 1000.0;
  }

  private Uni<Void> redriveStuck() {
    return pool.preparedQuery(STUCK)
        .execute(Tuple.of(seconds(config.claimSla())))
        .map(
            rows -> {
              long total = 0;
              for (var row : rows) {
                total = row.getLong("total");
                metrics.redriven();
                InstanceRow instance = InstanceRow.of(row);
                String traceId = instance.traceId();
                MDC.put("traceId", traceId == null ? "" : traceId);
                Log.warnf(
                    "Instance %d SUBMITTED past the claim SLA; re-driving it (traceId=%s)",
                    instance.id(), traceId);
                MDC.remove("traceId");
              }
              metrics.stuck(total);
              Master m = master;
              if (total > 0 && m != null) {
                m.wakeClaims();
              }
              if (total > 0) {
                notifications.publish(Notifications.INSTANCES);
              }
              return total;
            })
        .replaceWithVoid();
  }

  private Uni<Void> returnExpiredTasks() {
    return changeTasks(
        EXPIRED_TASKS,
        Tuple.tuple(),
        TaskState.DISPATCHED,
        "worker lease expired; dispatched again",
        Notifications.TASKS,
        metrics::leaseExpired);
  }

  private Uni<Void> failOverdueTasks() {
    return changeTasks(
        OVERDUE_TASKS,
        Tuple.of(httpTimeoutSeconds, seconds(config.taskTimeoutMargin())),
        TaskState.FAILURE,
        "overdue: no result within its timeout plus " + config.taskTimeoutMargin(),
        Notifications.RESULTS,
        metrics::overdue);
  }

  private Uni<Void> changeTasks(
      String sql, Tuple args, TaskState state, String reason, String channel, Runnable counter) {
    Function<RowSet<Row>, List<Transition>> history =
        rows -> {
          List<Transition> out = new ArrayList<>();
          rows.forEach(
              r -> {
                counter.run();
                TaskRow task = TaskRow.of(r);
                out.add(
                    Transition.of(
                        task.instanceId(), task.taskCode(), task.attempt(), state, reason));
              });
          return out;
        };
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(sql)
                    .execute(args)
                    .map(history)
                    .call(changes -> Transitions.append(conn, changes)))
        .invoke(
            changes -> {
              if (!changes.isEmpty()) {
                Log.warnf("Reconciler: %d task(s) %s: %s", changes.size(), state, reason);
                notifications.publish(channel);
              }
            })
        .replaceWithVoid();
  }

  private Uni<Void> replanIdle() {
    double period = seconds(config.noProgress());
    return pool.preparedQuery(NO_PROGRESS)
        .execute(Tuple.of(period))
        .flatMap(
            rows -> {
              long total = 0;
              List<Long> ids = new ArrayList<>();
              for (Row row : rows) {
                total = row.getLong("total");
                ids.add(InstanceRow.of(row).id());
              }
              metrics.noProgress(total);
              return ids.isEmpty() ? Uni.createFrom().voidItem() : replan(ids);
            });
  }

  private Uni<Void> replan(List<Long> ids) {
    String reason = "no progress for " + config.noProgress() + "; re-planned by the reconciler";
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(REPLAN)
                    .execute(Tuple.of(ids.toArray(new Long[0])))
                    .map(
                        rows -> {
                          List<Transition> out = new ArrayList<>();
                          rows.forEach(
                              r -> {
                                metrics.replanned();
                                long id = InstanceRow.of(r).id();
                                Log.warnf("Instance %d: %s", id, reason);
                                out.add(Transition.of(id, null, InstanceState.RUNNING, reason));
                              });
                          return out;
                        })
                    .call(changes -> Transitions.append(conn, changes)))
        .invoke(
            changes -> {
              if (!changes.isEmpty()) {
                notifications.publish(Notifications.RESULTS);
              }
            })
        .replaceWithVoid();
  }
}
