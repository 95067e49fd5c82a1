package io.flowgate.api;

import static io.flowgate.support.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class BatchStartResourceTest {

  @Inject Db db;

  @Test
  void batchAnswersPerItemInRequestOrder() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    List<Map<String, Object>> items = new ArrayList<>();
    items.add(Map.of("workflowCode", workflow, "idempotencyKey", "b-1"));
    items.add(Map.of("workflowCode", 424242L, "idempotencyKey", "b-2"));
    items.add(Map.of("workflowCode", workflow, "idempotencyKey", "b-1"));
    items.add(
        Map.of("workflowCode", workflow, "idempotencyKey", "b-1", "params", Map.of("x", "y")));
    items.add(Map.of("workflowCode", workflow, "idempotencyKey", "bad key"));

    admin()
        .urlEncodingEnabled(false)
        .body(Map.of("items", items))
        .post("/api/v1/projects/" + project + "/instances:batch")
        .then()
        .statusCode(200)
        .body("results.size()", equalTo(5))
        .body("results[0].status", equalTo(201))
        .body("results[1].status", equalTo(404))
        .body("results[1].code", equalTo("WORKFLOW_NOT_FOUND"))
        .body("results[2].status", equalTo(200))
        .body("results[2].instance.replayed", equalTo(true))
        .body("results[3].status", equalTo(409))
        .body("results[3].code", equalTo("IDEMPOTENCY_KEY_REUSED"))
        .body("results[4].status", equalTo(400))
        .body("results[4].code", equalTo("VALIDATION_FAILED"));
    assertThat(db.instancesOf(project)).isOne();
  }

  @Test
  void emptyOrOversizedBatchIs400AndWritesNothing() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    String path = "/api/v1/projects/" + project + "/instances:batch";
    admin()
        .urlEncodingEnabled(false)
        .body(Map.of("items", List.of()))
        .post(path)
        .then()
        .statusCode(400)
        .body("code", equalTo("VALIDATION_FAILED"));
    List<Map<String, Object>> tooMany = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      tooMany.add(Map.of("workflowCode", workflow));
    }
    admin()
        .urlEncodingEnabled(false)
        .body(Map.of("items", tooMany))
        .post(path)
        .then()
        .statusCode(400)
        .body("code", equalTo("VALIDATION_FAILED"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void metricsShowTheLedgerBalanced() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    admin().post(Api.startPath(project, workflow)).then().statusCode(201);
    String metrics =
        io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("flowgate_unaccounted_requests 0.0")
        .contains("flowgate_start_admitted_total")
        .contains("flowgate_admission_queue_capacity");
    io.restassured.RestAssured.get("/q/health/ready").then().statusCode(200);
  }
}
