package io.flowgate.api;

import static io.flowgate.support.Api.startPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.flowgate.store.FailureStrategy;
import io.flowgate.store.Priority;
import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every start answer names the Idempotency-Key it used, sent or generated; the request fingerprint
 * cannot be imitated by a value that contains a separator, and rows written with the legacy
 * fingerprint keep replaying; a scheduleTime offset PostgreSQL cannot store is refused up front.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class IdempotencyKeyNamingTest {

  @Inject Db db;

  @Test
  void keylessStartIsAnsweredWithItsGeneratedKeyInHeaderAndBody() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    Response created = Api.admin().post(startPath(project, workflow));
    assertThat(created.statusCode()).isEqualTo(201);
    String key = created.header("Idempotency-Key");
    assertThat(key).startsWith("gen-");
    assertThat(created.jsonPath().getString("idempotencyKey")).isEqualTo(key);

    Api.admin()
        .header("Idempotency-Key", key)
        .post(startPath(project, workflow))
        .then()
        .statusCode(200)
        .header("Idempotency-Key", key);
    assertThat(db.instancesOf(project)).isOne();
  }

  @Test
  void refusalsNameTheKeyTheyConcern() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    Api.admin()
        .header("Idempotency-Key", "named-1")
        .post(startPath(project, workflow + 1))
        .then()
        .statusCode(404)
        .header("Idempotency-Key", "named-1")
        .body("code", equalTo("WORKFLOW_NOT_FOUND"))
        .body("idempotencyKey", equalTo("named-1"));
    Api.admin()
        .post(startPath(project, workflow + 1))
        .then()
        .statusCode(404)
        .header("Idempotency-Key", startsWith("gen-"))
        .body("idempotencyKey", startsWith("gen-"));
    // a key that is itself invalid is not echoed
    Api.admin()
        .header("Idempotency-Key", "bad key")
        .post(startPath(project, workflow))
        .then()
        .statusCode(400)
        .body("code", equalTo("VALIDATION_FAILED"))
        .body("idempotencyKey", equalTo(null));
    Api.admin()
        .body(
            Map.of(
                "items",
                List.of(
                    Map.of("workflowCode", workflow + 1),
                    Map.of("workflowCode", workflow + 1, "idempotencyKey", "named-2"))))
        .post("/api/v1/projects/" + project + "/instances:batch")
        .then()
        .statusCode(200)
        .body("results[0].code", equalTo("WORKFLOW_NOT_FOUND"))
        .body("results[0].idempotencyKey", startsWith("gen-"))
        .body("results[1].idempotencyKey", equalTo("named-2"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void bodiesThatImitateEachOthersSeparatorsAreDifferentRequests() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    Api.admin()
        .header("Idempotency-Key", "fp-1")
        .body(Map.of("workerGroup", "g|false|1:a=6:b", "dryRun", true))
        .post(startPath(project, workflow))
        .then()
        .statusCode(201);
    Api.admin()
        .header("Idempotency-Key", "fp-1")
        .body(Map.of("workerGroup", "g", "params", Map.of("a", "b|true")))
        .post(startPath(project, workflow))
        .then()
        .statusCode(409)
        .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"))
        .body("idempotencyKey", equalTo("fp-1"));
    assertThat(db.instancesOf(project)).isOne();
  }

  @Test
  void aRowWrittenWithTheLegacyFingerprintStillReplays() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    String legacy =
        RequestFingerprint.legacy(
            workflow, Priority.HIGH, FailureStrategy.END, Map.of("a", "1"), null, "g", false);
    db.execute(
        "insert into workflow_instance (project_code, workflow_code, workflow_version, state,"
            + " priority, failure_strategy, params, worker_group, idempotency_key, request_id,"
            + " request_fingerprint) values ($1, $2, 1, 'SUBMITTED', 'HIGH', 'END',"
            + " '{\"a\":\"1\"}', 'g', 'old-1', $3, $4)",
        project,
        workflow,
        UUID.randomUUID(),
        legacy);

    Api.admin()
        .header("Idempotency-Key", "old-1")
        .body(Map.of("priority", "HIGH", "params", Map.of("a", "1"), "workerGroup", "g"))
        .post(startPath(project, workflow))
        .then()
        .statusCode(200)
        .body("replayed", equalTo(true));
    Api.admin()
        .header("Idempotency-Key", "old-1")
        .body(Map.of("priority", "LOW", "params", Map.of("a", "1"), "workerGroup", "g"))
        .post(startPath(project, workflow))
        .then()
        .statusCode(409)
        .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
    assertThat(db.instancesOf(project)).isOne();
  }

  @Test
  void scheduleTimeOffsetBeyondWhatPostgresStoresIsRefusedInBatchedModeToo() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    for (String offset : new String[] {"+16:00", "-16:00", "+18:00"}) {
      Api.admin()
          .body(Map.of("scheduleTime", "2026-01-01T00:00:00" + offset))
          .post(startPath(project, workflow))
          .then()
          .statusCode(400)
          .body("code", equalTo("VALIDATION_FAILED"))
          .body("detail", startsWith("scheduleTime"));
      Api.admin()
          .body(
              Map.of(
                  "items",
                  List.of(
                      Map.of(
                          "workflowCode",
                          workflow,
                          "scheduleTime",
                          "2026-01-01T00:00:00" + offset))))
          .post("/api/v1/projects/" + project + "/instances:batch")
          .then()
          .statusCode(200)
          .body("results[0].status", equalTo(400))
          .body("results[0].detail", startsWith("scheduleTime"));
    }
    assertThat(db.instancesOf(project)).isZero();
  }
}
