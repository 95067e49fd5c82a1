package io.flowgate.engine;

import io.flowgate.engine.DagPlanner.Attempt;
import io.flowgate.engine.DagPlanner.Plan;
import io.flowgate.engine.PlanWriter.Planned;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Ends instances in a worker's report transaction when that report stored their last unfinished
 * task, so the master needs no further transaction for them. The decision is the master's own
 * ({@link DagPlanner#plan}) and so is the write ({@link PlanWriter#write}); an instance is ended
 * here only when the plan ends it with nothing left to dispatch or stop. Anything else (a next
 * task, a retry, a stop, a bad definition, an instance locked by its master) is left to the
 * master's advance, which still sees the unadvanced result.
 *
 * <p>The instance row is locked with {@code SKIP LOCKED} and must still be RUNNING with no active
 * task, so an instance is ended at most once whichever of the worker and the master gets it first.
 */
public final class InstanceFinisher {

  private static final String LOCK =
      "select "
          + OwnedInstance.COLUMNS
          + " from workflow_instance i where i.id = any($1) and i.state = 'RUNNING'"
          + "   and not exists (select 1 from task_instance t where t.instance_id = i.id"
          + "     and t.state in ('SUBMITTED', 'DISPATCHED', 'RUNNING'))"
          + " for no key update of i skip locked";
  private static final String TASKS =
      "select id, instance_id, task_code, state, attempt, max_retries, advanced"
          + " from task_instance where instance_id = any($1)";
  private static final String MARK =
      "update task_instance set advanced = true where id = any($1) and not advanced";

  private final DagCache dags;

  public InstanceFinisher(DagCache dags) {
    this.dags = dags;
  }

  /** Ends those of the instances that are done, in the caller's transaction; tells which. */
  public Uni<List<Planned>> finishDone(SqlConnection conn, Collection<Long> instanceIds) {
    if (instanceIds.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return conn.preparedQuery(LOCK)
        .execute(Tuple.of(instanceIds.toArray(new Long[0])))
        .flatMap(
            rows -> {
              List<OwnedInstance> done = new ArrayList<>();
              rows.forEach(r -> done.add(OwnedInstance.of(r)));
              return done.isEmpty() ? Uni.createFrom().item(List.<Planned>of()) : end(conn, done);
            });
  }

  private Uni<List<Planned>> end(SqlConnection conn, List<OwnedInstance> done) {
    Long[] ids = done.stream().map(OwnedInstance::id).toArray(Long[]::new);
    Map<Long, List<Attempt>> tasks = new HashMap<>();
    Map<Long, List<Long>> results = new HashMap<>();
    return conn.preparedQuery(TASKS)
        .execute(Tuple.of(ids))
        .flatMap(
            rows -> {
              rows.forEach(
                  r -> {
                    long instance = r.getLong("instance_id");
                    TaskState state = TaskState.of(r.getString("state"));
                    tasks
                        .computeIfAbsent(instance, k -> new ArrayList<>())
                        .add(
                            new Attempt(
                                r.getLong("id"),
                                r.getString("task_code"),
                                state,
                                r.getInteger("attempt"),
                                r.getInteger("max_retries")));
                    if (!r.getBoolean("advanced") && state.isFinal()) {
                      results
                          .computeIfAbsent(instance, k -> new ArrayList<>())
                          .add(r.getLong("id"));
                    }
                  });
              return Multi.createFrom()
                  .iterable(done)
                  .onItem()
                  .transformToUniAndConcatenate(
                      i -> plan(conn, i, tasks.getOrDefault(i.id(), List.of())))
                  .filter(Objects::nonNull)
                  .collect()
                  .asList();
            })
        .flatMap(
            ending -> {
              if (ending.isEmpty()) {
                return Uni.createFrom().item(ending);
              }
              Long[] used =
                  ending.stream()
                      .flatMap(p -> results.getOrDefault(p.instance().id(), List.of()).stream())
                      .toArray(Long[]::new);
              return conn.preparedQuery(MARK)
                  .execute(Tuple.of(used))
                  .flatMap(marked -> PlanWriter.write(conn, ending))
                  .replaceWith(ending);
            });
  }

  // null: not ended here (the master advances it)
  private Uni<Planned> plan(SqlConnection conn, OwnedInstance i, List<Attempt> tasks) {
    return dags.get(conn, i.workflowCode(), i.workflowVersion())
        .map(dag -> dag.restrictedTo(i.startNodes()))
        .map(
            dag -> {
              Plan plan = DagPlanner.plan(InstanceState.RUNNING, i.failureStrategy(), dag, tasks);
              boolean ends =
                  plan.finalState() != null && plan.dispatch().isEmpty() && plan.stop().isEmpty();
              return ends ? new Planned(i, plan) : null;
            })
        // an unusable definition is the master's to report
        .onFailure(DagCache.BadDefinition.class)
        .recoverWithNull();
  }
}
