package io.flowgate.admission;

import static io.flowgate.support.Api.startPath;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The first phase of a shutdown: readiness goes DOWN and new starts, native and
 * DolphinScheduler-compatible, get 503 SHUTTING_DOWN with Retry-After while the server still
 * answers; nothing is written for them.
 */
@QuarkusTest
@TestProfile(ShutdownPhaseTest.OwnApplication.class)
@WithTestResource(EmbeddedPostgresResource.class)
class ShutdownPhaseTest {

  /** Its own application, since the shutdown it begins cannot be taken back. */
  public static class OwnApplication implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("flowgate.roles", "api");
    }
  }

  @Inject Event<ShutdownDelayInitiatedEvent> shutdownDelay;
  @Inject Db db;

  @Test
  void newStartsAreRefusedWithShuttingDownAndReadinessIsDown() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    Api.admin().post(startPath(project, workflow)).then().statusCode(201);

    shutdownDelay.fire(new ShutdownDelayInitiatedEvent());

    Api.admin()
        .header("Idempotency-Key", "after-sigterm")
        .post(startPath(project, workflow))
        .then()
        .statusCode(503)
        .header("Retry-After", Integer::parseInt, greaterThan(0))
        .body("code", equalTo("SHUTTING_DOWN"));
    given()
        .header("token", Api.ADMIN)
        .formParam("processDefinitionCode", workflow)
        // DS's required parameters, so the form reaches admission (ExecutorController 3.2.2)
        .formParam("scheduleTime", "")
        .formParam("failureStrategy", "END")
        .formParam("warningType", "NONE")
        .post("/dolphinscheduler/projects/" + project + "/executors/start-process-instance")
        .then()
        .statusCode(503)
        .header("Retry-After", Integer::parseInt, greaterThan(0))
        .body("success", equalTo(false));
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body("checks.data.shuttingDown", hasItem(true));

    assertThat(db.instancesOf(project)).isOne();
  }
}
