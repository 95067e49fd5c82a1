package io.flowgate.engine;

import io.flowgate.engine.DagPlanner.NewTask;
import io.flowgate.engine.DagPlanner.Plan;
import io.flowgate.engine.Transitions.Transition;
import io.flowgate.persistence.Notifications;
import io.flowgate.store.TaskRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the plans of several instances in the caller's transaction, batched: new task attempts,
 * stopped tasks, final instance states and one history row for each change. An instance that ends
 * stops every active task it still has in the same transaction, whatever path ended it.
 */
public final class PlanWriter {

  private static final String INSERT_TASK =
      "insert into task_instance (instance_id, task_code, task_type, params, state, attempt,"
          + " max_retries, retry_delay_seconds, timeout_seconds, not_before)"
          + " values ($1, $2, $3, $4, 'DISPATCHED', $5, $6, $7, $8,"
          + " now() + make_interval(secs => $9))";
  private static final String INSERT_RAN =
      "insert into task_instance (instance_id, task_code, task_type, params, state, attempt,"
          + " max_retries, retry_delay_seconds, timeout_seconds, error, advanced, started_at,"
          + " ended_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, true, now(), now())";
  private static final String STOP_TASKS =
      "update task_instance set state = 'STOPPED', ended_at = now(), updated_at = now(),"
          + " lease_owner = null, lease_expires_at = null, advanced = true"
          + " where instance_id = any($1) and state in ('SUBMITTED', 'DISPATCHED', 'RUNNING')"
          + " returning instance_id, task_code, attempt";
  private static final String FINISH =
      "update workflow_instance set state = $2, ended_at = now(), updated_at = now(),"
          + " lease_expires_at = null where id = $1";

  /** One instance's plan, after the attempts run inline (see {@link InlineTasks}). */
  public record Planned(OwnedInstance instance, Plan plan, List<InlineTasks.Ran> ran) {

    public Planned(OwnedInstance instance, Plan plan) {
      this(instance, plan, List.of());
    }

    Planned(OwnedInstance instance, InlineTasks.Expanded expanded) {
      this(instance, expanded.plan(), expanded.ran());
    }
  }

  private PlanWriter() {}

  /**
   * Writes the plans; tells whether any task was dispatched (the caller notifies workers after its
   * commit, see {@link Notifications#publish}).
   */
  public static Uni<Boolean> write(SqlConnection conn, List<Planned> plans) {
    List<Tuple> ran = new ArrayList<>();
    List<Tuple> inserts = new ArrayList<>();
    List<Tuple> finishes = new ArrayList<>();
    List<Long> ending = new ArrayList<>();
    List<Transition> history = new ArrayList<>();
    Map<Long, String> reasons = new HashMap<>();
    for (Planned p : plans) {
      reasons.put(p.instance().id(), p.plan().reason());
      long id = p.instance().id();
      for (InlineTasks.Ran r : p.ran()) {
        Dag.Node n = r.node();
        ran.add(
            Tuple.tuple()
                .addLong(id)
                .addString(n.code())
                .addString(n.type())
                .addJsonObject(n.params())
                .addString(r.state().name())
                .addInteger(r.attempt())
                .addInteger(n.retries())
                .addInteger(n.retryDelaySeconds())
                .addInteger(n.timeoutSeconds())
                .addString(r.state() == TaskState.SUCCESS ? null : r.detail()));
        history.add(Transition.of(id, n.code(), r.attempt(), TaskState.DISPATCHED, "dispatched"));
        history.add(
            Transition.of(
                id, n.code(), r.attempt(), TaskState.RUNNING, "run inline by the master"));
        history.add(Transition.of(id, n.code(), r.attempt(), r.state(), r.detail()));
      }
      for (NewTask t : p.plan().dispatch()) {
        Dag.Node n = t.node();
        inserts.add(
            Tuple.tuple()
                .addLong(id)
                .addString(n.code())
                .addString(n.type())
                .addJsonObject(n.params())
                .addInteger(t.attempt())
                .addInteger(n.retries())
                .addInteger(n.retryDelaySeconds())
                .addInteger(n.timeoutSeconds())
                .addDouble((double) t.delaySeconds()));
        String detail =
            t.attempt() == 1
                ? "dispatched"
                : "retry " + t.attempt() + " after " + t.delaySeconds() + "s";
        history.add(Transition.of(id, n.code(), t.attempt(), TaskState.DISPATCHED, detail));
      }
      if (p.plan().finalState() != null) {
        ending.add(id);
        finishes.add(Tuple.of(id, p.plan().finalState().name()));
        history.add(Transition.of(id, null, p.plan().finalState(), p.plan().reason()));
      }
    }
    Uni<Void> stopped =
        ending.isEmpty()
            ? Uni.createFrom().voidItem()
            : conn.preparedQuery(STOP_TASKS)
                .execute(Tuple.of(ending.toArray(new Long[0])))
                .map(
                    rows -> {
                      List<Transition> t = new ArrayList<>();
                      rows.forEach(
                          row -> {
                            TaskRow r = TaskRow.of(row);
                            t.add(
                                Transition.of(
                                    r.instanceId(),
                                    r.taskCode(),
                                    r.attempt(),
                                    TaskState.STOPPED,
                                    "stopped: " + reasons.get(r.instanceId())));
                          });
                      return t;
                    })
                .flatMap(t -> Transitions.append(conn, t));
    return stopped
        .flatMap(v -> batch(conn, INSERT_RAN, ran))
        .flatMap(v -> batch(conn, INSERT_TASK, inserts))
        .flatMap(v -> batch(conn, FINISH, finishes))
        .flatMap(v -> Transitions.append(conn, history))
        .replaceWith(!inserts.isEmpty());
  }

  private static Uni<Void> batch(SqlConnection conn, String sql, List<Tuple> rows) {
    return rows.isEmpty()
        ? Uni.createFrom().voidItem()
        : conn.preparedQuery(sql).executeBatch(rows).replaceWithVoid();
  }
}
