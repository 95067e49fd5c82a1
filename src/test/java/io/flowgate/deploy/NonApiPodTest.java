package io.flowgate.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pod without the api role (master, worker) answers 404 on every API path, admin endpoints
 * included, and writes nothing; health and metrics stay for the kubelet and Prometheus.
 */
@QuarkusTest
@TestProfile(NonApiPodProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class NonApiPodTest {

  @Inject Db db;

  @Test
  void startPathAnswers404AndCommitsNothing() {
    long instances = db.count("select count(*) from workflow_instance");
    Api.admin()
        .header("Idempotency-Key", "non-api-pod")
        .body(Map.of())
        .post("/api/v1/projects/1/workflows/1/instances")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("code", equalTo("NOT_FOUND"));
    given()
        .header("token", Api.ADMIN)
        .formParam("processDefinitionCode", "1")
        .post("/dolphinscheduler/projects/1/executors/start-process-instance")
        .then()
        // DolphinScheduler answers its business errors with 200; this is a transport-level 404
        .statusCode(404)
        .body("success", equalTo(false));
    assertThat(db.count("select count(*) from workflow_instance")).isEqualTo(instances);
  }

  @Test
  void adminEndpointsAnswer404AndCreateNothing() {
    long projects = db.count("select count(*) from project");
    Api.admin()
        .body(Map.of("name", "must-not-exist"))
        .post("/api/v1/projects")
        .then()
        .statusCode(404)
        .body("code", equalTo("NOT_FOUND"));
    Api.admin().get("/api/v1/tokens").then().statusCode(404).body("code", equalTo("NOT_FOUND"));
    given().get("/q/openapi").then().statusCode(404);
    assertThat(db.count("select count(*) from project")).isEqualTo(projects);
  }

  @Test
  void healthAndMetricsStay() {
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/health/started").then().statusCode(200);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("flowgate_role_active{role=\"master\"} 1.0")
        .contains("flowgate_role_active{role=\"worker\"} 1.0")
        .doesNotContain("flowgate_role_active{role=\"api\"}");
  }
}
