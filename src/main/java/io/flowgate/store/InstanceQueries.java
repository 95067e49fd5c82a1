package io.flowgate.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads of instances: one with its tasks and history, by key, and keyset-paginated lists. */
@ApplicationScoped
public class InstanceQueries {

  private static final String COLUMNS =
      "id, project_code, workflow_code, workflow_version, state, priority, failure_strategy,"
          + " params, schedule_time, worker_group, dry_run, idempotency_key, trace_parent,"
          + " created_at, updated_at, started_at, ended_at";

  /** An instance as the API shows it. */
  public record InstanceView(
      long id,
      long projectCode,
      long workflowCode,
      int workflowVersion,
      String state,
      String priority,
      String failureStrategy,
      Map<String, Object> params,
      OffsetDateTime scheduleTime,
      String workerGroup,
      boolean dryRun,
      String idempotencyKey,
      String traceId,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt,
      OffsetDateTime startedAt,
      OffsetDateTime endedAt,
      List<TaskView> tasks,
      List<TransitionView> history) {}

  /** One task attempt. */
  public record TaskView(
      long id,
      String taskCode,
      String type,
      String state,
      int attempt,
      String error,
      OffsetDateTime startedAt,
      OffsetDateTime endedAt) {}

  /** One appended state change. */
  public record TransitionView(
      String state, String taskCode, Integer attempt, String detail, OffsetDateTime at) {}

  private final Pool pool;

  public InstanceQueries(Pool pool) {
    this.pool = pool;
  }

  /** The instance with its tasks and history, or null. */
  public Uni<InstanceView> byId(long id) {
    return pool.preparedQuery("select " + COLUMNS + " from workflow_instance where id = $1")
        .execute(Tuple.of(id))
        .flatMap(
            rows ->
                rows.size() == 0
                    ? Uni.createFrom().nullItem()
                    : withDetails(rows.iterator().next()));
  }

  public Uni<InstanceView> byKey(long projectCode, String key) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from workflow_instance where project_code = $1 and idempotency_key = $2")
        .execute(Tuple.of(projectCode, key))
        .flatMap(
            rows ->
                rows.size() == 0
                    ? Uni.createFrom().nullItem()
                    : withDetails(rows.iterator().next()));
  }

  /** Up to {@code limit} instances with id greater than {@code after}, in id order. */
  public Uni<List<InstanceView>> list(
      long projectCode, Long workflowCode, String state, long after, int limit) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from workflow_instance where project_code = $1 and id > $2"
                + " and ($3::bigint is null or workflow_code = $3)"
                + " and ($4::text is null or state = $4) order by id limit $5")
        .execute(Tuple.of(projectCode, after, workflowCode, state, limit))
        .map(
            rows -> {
              List<InstanceView> out = new ArrayList<>();
              rows.forEach(row -> out.add(view(row, List.of(), List.of())));
              return out;
            });
  }

  private Uni<InstanceView> withDetails(Row instance) {
    long id = InstanceRow.of(instance).id();
    Uni<List<TaskView>> tasks =
        pool.preparedQuery(
                "select id, task_code, task_type, state, attempt, error, started_at, ended_at"
                    + " from task_instance where instance_id = $1 order by id")
            .execute(Tuple.of(id))
            .map(
                rows -> {
                  List<TaskView> out = new ArrayList<>();
                  rows.forEach(r -> out.add(task(TaskRow.of(r))));
                  return out;
                });
    Uni<List<TransitionView>> history =
        pool.preparedQuery(
                "select state, task_code, attempt, detail, at from instance_transition"
                    + " where instance_id = $1 order by id")
            .execute(Tuple.of(id))
            .map(
                rows -> {
                  List<TransitionView> out = new ArrayList<>();
                  rows.forEach(
                      r ->
                          out.add(
                              new TransitionView(
                                  r.getString("state"),
                                  r.getString("task_code"),
                                  r.getInteger("attempt"),
                                  r.getString("detail"),
                                  r.getOffsetDateTime("at"))));
                  return out;
                });
    return Uni.combine()
        .all()
        .unis(tasks, history)
        .asTuple()
        .map(t -> view(instance, t.getItem1(), t.getItem2()));
  }

  private static TaskView task(TaskRow r) {
    return new TaskView(
        r.id(),
        r.taskCode(),
        r.taskType(),
        r.state(),
        r.attempt(),
        r.error(),
        r.startedAt(),
        r.endedAt());
  }

  private static InstanceView view(Row stored, List<TaskView> tasks, List<TransitionView> history) {
    InstanceRow row = InstanceRow.of(stored);
    return new InstanceView(
        row.id(),
        row.projectCode(),
        row.workflowCode(),
        row.workflowVersion(),
        row.state(),
        row.priority(),
        row.failureStrategy(),
        row.params(),
        row.scheduleTime(),
        row.workerGroup(),
        row.dryRun(),
        row.idempotencyKey(),
        row.traceId(),
        row.createdAt(),
        row.updatedAt(),
        row.startedAt(),
        row.endedAt(),
        tasks,
        history);
  }
}
