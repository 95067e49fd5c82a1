package io.flowgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Instances SUBMITTED past the claim SLA are counted, logged and re-driven. */
@QuarkusTest
@TestProfile(EngineTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class ReconcilerTest {

  @Inject MasterRole role;
  @Inject MeterRegistry registry;
  @Inject Db db;
  @Inject EngineDb engine;

  private double redriven() {
    return registry.counter("flowgate.instances.redriven").count();
  }

  @Test
  void aStuckInstanceIsCountedAndThenClaimed() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    double before = redriven();
    role.master().stop();
    long id;
    try {
      id =
          engine
              .rows(
                  "insert into workflow_instance (project_code, workflow_code, workflow_version,"
                      + " state, priority, failure_strategy, idempotency_key, request_id,"
                      + " request_fingerprint, trace_parent, created_at)"
                      + " values ($1, $2, 1, 'SUBMITTED', 'MEDIUM', 'END', 'stuck', gen_random_uuid(),"
                      + " 'stuck', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',"
                      + " now() - interval '1 hour') returning id",
                  project,
                  workflow)
              .get(0)
              .getLong("id");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  redriven() > before
                      && registry.get("flowgate.instances.stuck").gauge().value() >= 1);
    } finally {
      role.start();
    }
    assertThat(engine.awaitFinal(id)).isEqualTo("SUCCESS");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> registry.get("flowgate.instances.stuck").gauge().value() == 0);
  }

  @Test
  void claimsAndTaskOutcomesAreMeasured() {
    long project = Api.project();
    long id = engine.start(project, Api.releasedWorkflow(project), "END");

    assertThat(engine.awaitFinal(id)).isEqualTo("SUCCESS");
    assertThat(registry.get("flowgate.master.claim.lag").timer().count()).isPositive();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                registry
                        .get("flowgate.task.outcomes")
                        .tags("type", "NOOP", "state", "SUCCESS")
                        .counter()
                        .count()
                    > 0);
  }

  private double count(String name) {
    return registry.counter(name).count();
  }

  @Test
  void aTaskPastItsTimeoutAndMarginFailsAsOverdue() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project,
            java.util.List.of(
                java.util.Map.of(
                    "code", "long", "type", "WAIT", "params", java.util.Map.of("seconds", 600))),
            java.util.List.of());
    double before = count("flowgate.tasks.overdue");
    long id = engine.start(project, workflow, "END");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "RUNNING".equals(engine.taskStates(id).get("long")));
    // its worker still renews the lease, but it has run longer than 600 s + the margin
    db.execute(
        "update task_instance set started_at = now() - interval '2 hours' where instance_id = $1",
        id);

    assertThat(engine.awaitFinal(id)).isEqualTo("FAILURE");
    assertThat(engine.history(id))
        .containsSubsequence("long:1:RUNNING", "long:1:FAILURE", "FAILURE");
    assertThat(engine.error(id, "long", 1)).startsWith("overdue");
    assertThat(count("flowgate.tasks.overdue")).isGreaterThan(before);
  }

  @Test
  void aRunningInstanceWithoutProgressIsReplanned() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    double before = count("flowgate.instances.replanned");
    // a RUNNING instance of this replica's master whose only task finished and was taken into
    // account, yet the instance never ended; nothing changed for an hour
    long id =
        engine
            .rows(
                "insert into workflow_instance (project_code, workflow_code, workflow_version,"
                    + " state, priority, failure_strategy, idempotency_key, request_id,"
                    + " request_fingerprint, lease_owner, lease_expires_at, started_at,"
                    + " updated_at) values ($1, $2, 1, 'RUNNING', 'MEDIUM', 'END', 'idle',"
                    + " gen_random_uuid(), 'x', $3, now() + interval '1 hour',"
                    + " now() - interval '1 hour', now() - interval '1 hour') returning id",
                project,
                workflow,
                role.master().owner())
            .get(0)
            .getLong("id");
    String code =
        engine
            .rows(
                "select dag->'tasks'->0->>'code' as code from workflow_version where workflow_code = $1",
                workflow)
            .get(0)
            .getString("code");
    db.execute(
        "insert into task_instance (instance_id, task_code, task_type, state, attempt, advanced,"
            + " updated_at) values ($1, $2, 'NOOP', 'SUCCESS', 1, true, now() - interval '1 hour')",
        id,
        code);

    assertThat(engine.awaitFinal(id)).isEqualTo("SUCCESS");
    assertThat(
            engine.rows(
                "select 1 from instance_transition where instance_id = $1 and detail like"
                    + " 'no progress for%re-planned%'",
                id))
        .hasSize(1);
    assertThat(count("flowgate.instances.replanned")).isGreaterThan(before);
  }
}
