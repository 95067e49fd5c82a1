package io.flowgate.worker;

import io.flowgate.engine.TaskState;
import io.flowgate.engine.Transitions;
import io.flowgate.engine.Transitions.Transition;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Claims DISPATCHED tasks that are due with {@code FOR UPDATE SKIP LOCKED}: RUNNING under this
 * worker's lease, with a history row, in one transaction. Only tasks of a RUNNING instance are
 * claimed: a task of an instance that ended or is stopping never runs.
 */
public final class TaskClaimer {

  private static final String CLAIM =
      "with c as (select t.id from task_instance t join workflow_instance i on i.id = t.instance_id"
          + "   where t.state = 'DISPATCHED' and t.not_before <= now() and i.state = 'RUNNING'"
          + "   order by t.not_before limit $2 for no key update of t skip locked)"
          + " update task_instance t set state = 'RUNNING', lease_owner = $1,"
          + "   lease_expires_at = now() + make_interval(secs => $3), started_at = now(),"
          + "   updated_at = now()"
          + " from c, workflow_instance i where t.id = c.id and i.id = t.instance_id"
          + " returning t.id, t.instance_id, t.task_code, t.task_type, t.params, t.attempt,"
          + "   t.timeout_seconds, i.trace_parent, i.trace_state";

  private final String owner;
  private final Pool pool;
  private final Duration lease;

  public TaskClaimer(String owner, Pool pool, Duration lease) {
    this.owner = owner;
    this.pool = pool;
    this.lease = lease;
  }

  /** Claims at most {@code limit} tasks. */
  public Uni<List<ClaimedTask>> claim(int limit) {
    if (limit <= 0) {
      return Uni.createFrom().item(List.of());
    }
    double seconds = lease.toMillis() / 1000.0;
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(CLAIM)
                .execute(Tuple.of(owner, limit, seconds))
                .flatMap(
                    rows -> {
                      List<ClaimedTask> tasks = new ArrayList<>();
                      List<Transition> history = new ArrayList<>();
                      rows.forEach(
                          r -> {
                            ClaimedTask t = ClaimedTask.of(r);
                            tasks.add(t);
                            history.add(
                                Transition.of(
                                    t.instanceId(),
                                    t.taskCode(),
                                    t.attempt(),
                                    TaskState.RUNNING,
                                    "running on " + owner));
                          });
                      return Transitions.append(conn, history).replaceWith(tasks);
                    }));
  }
}
