package io.flowgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.flowgate.worker.WorkerRole;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An instance that fails stops its active tasks in the same transaction, and no worker ever claims
 * a task of an instance that is final.
 */
@QuarkusTest
@TestProfile(EngineTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class FailedInstanceTasksTest {

  private static final String INSTANCE =
      "insert into workflow_instance (project_code, workflow_code, workflow_version, state,"
          + " priority, failure_strategy, idempotency_key, request_id, request_fingerprint,"
          + " lease_owner, lease_expires_at, started_at, ended_at)"
          + " values ($1, $2, 1, $3, 'MEDIUM', 'END', $4, gen_random_uuid(), 'x', 'gone-master',"
          + " now() - interval '1 second', now(), case when $3 = 'RUNNING' then null else now()"
          + " end) returning id";
  private static final String TASK =
      "insert into task_instance (instance_id, task_code, task_type, state, attempt)"
          + " values ($1, $2, 'NOOP', $3, 1)";

  @Inject WorkerRole workers;
  @Inject Db db;
  @Inject EngineDb engine;

  @Test
  void aFailingInstanceStopsItsActiveTasks() {
    long project = Api.project();
    long broken =
        Api.releasedWorkflow(
            project,
            List.of(Map.of("code", "a", "type", "NOOP"), Map.of("code", "b", "type", "NOOP")),
            List.of());
    db.execute(
        "update workflow_version set dag = $2 where workflow_code = $1",
        broken,
        new JsonObject().put("tasks", "not a list"));
    workers.worker().stop();
    long id;
    try {
      // a master died while "a" had finished and "b" waited for a worker
      id = insertInstance(project, broken, "RUNNING", "failing");
      db.execute(TASK, id, "a", "SUCCESS");
      db.execute(TASK, id, "b", "DISPATCHED");
      assertThat(engine.awaitFinal(id)).isEqualTo("FAILURE");
    } finally {
      workers.start();
    }

    assertThat(engine.taskStates(id)).containsEntry("b", "STOPPED");
    sentinelSucceeds(project);
    assertThat(engine.history(id)).contains("b:1:STOPPED").doesNotContain("b:1:RUNNING");
  }

  @Test
  void aTaskOfAFinalInstanceIsNeverClaimed() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(project, List.of(Map.of("code", "c", "type", "NOOP")), List.of());
    long id = insertInstance(project, workflow, "FAILURE", "final");
    db.execute(TASK, id, "c", "DISPATCHED");
    db.execute("notify flowgate_tasks");

    sentinelSucceeds(project);
    assertThat(engine.taskStates(id)).containsEntry("c", "DISPATCHED");
    assertThat(engine.history(id)).doesNotContain("c:1:RUNNING");
  }

  private long insertInstance(long project, long workflow, String state, String key) {
    return engine
        .rows(INSTANCE, project, workflow, state, key + "-" + System.nanoTime())
        .get(0)
        .getLong("id");
  }

  // a later instance runs to the end: the worker has polled past the task in question
  private void sentinelSucceeds(long project) {
    long sentinel = engine.start(project, Api.releasedWorkflow(project), "END");
    assertThat(engine.awaitFinal(sentinel)).isEqualTo("SUCCESS");
    await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
  }
}
