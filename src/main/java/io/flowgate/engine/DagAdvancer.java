package io.flowgate.engine;

import io.flowgate.engine.DagPlanner.Attempt;
import io.flowgate.engine.PlanWriter.Planned;
import io.flowgate.persistence.Notifications;
import io.flowgate.store.TaskRow;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Advances the DAGs of instances this replica holds the lease of when task results arrived (or a
 * stop was asked): locks them, reads all their tasks, plans and writes the next step in one
 * transaction, then marks the results it used as advanced.
 */
public final class DagAdvancer {

  private static final String LOCK =
      "select "
          + OwnedInstance.COLUMNS
          + " from workflow_instance i"
          + " where i.lease_owner = $1 and i.state in ('RUNNING', 'STOPPING')"
          + "   and (i.state = 'STOPPING' or exists (select 1 from task_instance t"
          + "     where t.instance_id = i.id and not t.advanced"
          + "       and t.state in ('SUCCESS', 'FAILURE', 'STOPPED')))"
          + " limit $2 for no key update of i skip locked";
  private static final String TASKS =
      "select id, instance_id, task_code, state, attempt, max_retries, advanced"
          + " from task_instance where instance_id = any($1)";
  private static final String MARK =
      "update task_instance set advanced = true where id = any($1) and not advanced";

  private final String owner;
  private final Pool pool;
  private final int batch;
  private final DagCache dags;
  private final EngineTracing tracing;
  private final Notifications notifications;
  private final InlineTasks inline;
  private final EngineMetrics metrics;

  public DagAdvancer(
      String owner,
      Pool pool,
      int batch,
      DagCache dags,
      EngineTracing tracing,
      Notifications notifications,
      InlineTasks inline,
      EngineMetrics metrics) {
    this.owner = owner;
    this.inline = inline;
    this.metrics = metrics;
    this.pool = pool;
    this.batch = batch;
    this.dags = dags;
    this.tracing = tracing;
    this.notifications = notifications;
  }

  /** Advances one batch of instances; tells how many were advanced when it was full, else 0. */
  public Uni<Integer> advanceOnce() {
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(LOCK)
                    .execute(Tuple.of(owner, batch))
                    .flatMap(
                        rows -> {
                          List<OwnedInstance> owned = new ArrayList<>();
                          rows.forEach(r -> owned.add(OwnedInstance.of(r)));
                          return owned.isEmpty()
                              ? Uni.createFrom().item(List.<Planned>of())
                              : advance(conn, owned);
                        }))
        .invoke(tracing::planned)
        .invoke(metrics::ranInline)
        .invoke(
            plans -> {
              if (plans.stream().anyMatch(p -> !p.plan().dispatch().isEmpty())) {
                notifications.publish(Notifications.TASKS);
              }
            })
        // a short batch means nothing more is waiting: no immediate empty step after it
        .map(plans -> plans.size() < batch ? 0 : plans.size());
  }

  private Uni<List<Planned>> advance(SqlConnection conn, List<OwnedInstance> owned) {
    Long[] ids = owned.stream().map(OwnedInstance::id).toArray(Long[]::new);
    Map<Long, List<Attempt>> tasks = new HashMap<>();
    List<Long> results = new ArrayList<>();
    return conn.preparedQuery(TASKS)
        .execute(Tuple.of(ids))
        .flatMap(
            rows -> {
              rows.forEach(
                  row -> {
                    TaskRow r = TaskRow.of(row);
                    TaskState state = TaskState.of(r.state());
                    tasks
                        .computeIfAbsent(r.instanceId(), k -> new ArrayList<>())
                        .add(new Attempt(r.id(), r.taskCode(), state, r.attempt(), r.maxRetries()));
                    if (!r.advanced() && state.isFinal()) {
                      results.add(r.id());
                    }
                  });
              return Multi.createFrom()
                  .iterable(owned)
                  .onItem()
                  .transformToUniAndConcatenate(
                      i -> plan(conn, i, tasks.getOrDefault(i.id(), List.of())))
                  .collect()
                  .asList();
            })
        .flatMap(
            plans ->
                conn.preparedQuery(MARK)
                    .execute(Tuple.of(results.toArray(new Long[0])))
                    .flatMap(marked -> PlanWriter.write(conn, plans))
                    .replaceWith(plans));
  }

  // a store error reading the DAG fails the whole step (rolled back, tried again); only a bad
  // definition ends the instance
  private Uni<Planned> plan(SqlConnection conn, OwnedInstance i, List<Attempt> tasks) {
    return dags.get(conn, i.workflowCode(), i.workflowVersion())
        .map(dag -> dag.restrictedTo(i.startNodes()))
        .map(
            dag -> {
              InlineTasks.Expanded plan = inline.plan(i.state(), i.failureStrategy(), dag, tasks);
              Log.debugf("Master %s advances instance %d: %s", owner, i.id(), plan);
              return new Planned(i, plan);
            })
        .onFailure(DagCache.BadDefinition.class)
        .recoverWithItem(e -> new Planned(i, DagPlanner.badDefinition(e)));
  }
}
