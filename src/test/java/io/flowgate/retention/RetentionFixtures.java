package io.flowgate.retention;

import static io.flowgate.support.Api.admin;
import static io.flowgate.support.Api.startPath;
import static org.awaitility.Awaitility.await;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Instances started through the API, driven to a state by the engine, then aged in SQL. */
final class RetentionFixtures {

  private final Db db;

  RetentionFixtures(Db db) {
    this.db = db;
  }

  /** Starts an instance under the key and returns its id. */
  long start(long project, long workflow, String key) {
    return admin()
        .header("Idempotency-Key", key)
        .body(Map.of("params", Map.of("k", key)))
        .post(startPath(project, workflow))
        .then()
        .statusCode(201)
        .extract()
        .jsonPath()
        .getLong("instanceId");
  }

  /** A one-task WAIT workflow that stays RUNNING for an hour. */
  static long longWorkflow(long project) {
    return io.flowgate.support.Api.releasedWorkflow(
        project,
        List.of(Map.of("code", "wait", "type", "WAIT", "params", Map.of("seconds", 3600))),
        List.of());
  }

  void awaitState(long instance, String state) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                db.count(
                        "select count(*) from workflow_instance where id = $1 and state = $2",
                        instance,
                        state)
                    == 1);
  }

  /** Makes a finished instance look as if it ended {@code hoursAgo} hours ago, in that state. */
  void endedHoursAgo(long instance, String state, long hoursAgo) {
    db.execute(
        "update workflow_instance set state = $2, ended_at = now() - $3::bigint * interval '1 hour',"
            + " created_at = now() - ($3::bigint + 1) * interval '1 hour' where id = $1",
        instance,
        state,
        hoursAgo);
  }

  /** Three finished instances past the default 7-day horizon and one inside it, all ended. */
  record PastHorizon(long project, List<Long> removed, long kept) {}

  /**
   * Starts four one-task instances keyed {@code prefix-a/b/c/kept} in a new project and ends them 8
   * (SUCCESS), 8 (FAILURE) and 10 (STOPPED) days ago, and the kept one 6 days ago.
   */
  PastHorizon pastHorizon(String prefix) {
    long project = Api.project();
    long noop = Api.releasedWorkflow(project);
    List<Long> removed =
        List.of(
            start(project, noop, prefix + "a"),
            start(project, noop, prefix + "b"),
            start(project, noop, prefix + "c"));
    long kept = start(project, noop, prefix + "kept");
    removed.forEach(id -> awaitState(id, "SUCCESS"));
    awaitState(kept, "SUCCESS");
    endedHoursAgo(removed.get(0), "SUCCESS", 8 * 24);
    endedHoursAgo(removed.get(1), "FAILURE", 8 * 24);
    endedHoursAgo(removed.get(2), "STOPPED", 10 * 24);
    endedHoursAgo(kept, "SUCCESS", 6 * 24);
    return new PastHorizon(project, removed, kept);
  }

  boolean exists(long instance) {
    return db.count("select count(*) from workflow_instance where id = $1", instance) == 1;
  }

  long children(long instance) {
    return db.count("select count(*) from task_instance where instance_id = $1", instance)
        + db.count("select count(*) from instance_transition where instance_id = $1", instance);
  }

  /** The UTC day an instance ended on, as the archive names it. */
  static String day(Db db, long instance) {
    return db.column(
            "select to_char(ended_at at time zone 'UTC', 'YYYY-MM-DD') from workflow_instance"
                + " where id = $1",
            instance)
        .get(0)
        .toString();
  }

  /** The workflow an instance runs. */
  static long workflowOf(Db db, long instance) {
    return db.count("select workflow_code from workflow_instance where id = $1", instance);
  }
}
