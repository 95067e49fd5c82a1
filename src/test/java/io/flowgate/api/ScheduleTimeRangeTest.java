package io.flowgate.api;

import static io.flowgate.support.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.flowgate.support.ErrorLogCapture;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A scheduleTime PostgreSQL cannot store (timestamptz: 4713 BC to 294276 AD) or DolphinScheduler
 * cannot format is refused by name before the write: 400 VALIDATION_FAILED, nothing written, and no
 * ERROR logged, since the mistake is the caller's, not the service's.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class ScheduleTimeRangeTest {

  static final List<String> OUT_OF_RANGE =
      List.of(
          "+999999999-12-31T23:59:59Z",
          "+300000-01-01T00:00:00Z",
          "+10000-01-01T00:00:00Z",
          "0000-12-31T23:59:59Z",
          "-4714-01-01T00:00:00Z");

  @Inject Db db;

  @Test
  void singleStartOutsideYears1To9999Is400NamingScheduleTime() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    try (ErrorLogCapture log = ErrorLogCapture.open()) {
      for (String time : OUT_OF_RANGE) {
        admin()
            .body(Map.of("scheduleTime", time))
            .post(Api.startPath(project, workflow))
            .then()
            .statusCode(400)
            .body("code", equalTo("VALIDATION_FAILED"))
            .body("detail", containsString("scheduleTime"));
      }
      assertThat(log.errors()).isEmpty();
    }
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void batchItemOutsideYears1To9999Is400NamingScheduleTime() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    try (ErrorLogCapture log = ErrorLogCapture.open()) {
      for (String time : OUT_OF_RANGE) {
        admin()
            .urlEncodingEnabled(false)
            .body(Map.of("items", List.of(Map.of("workflowCode", workflow, "scheduleTime", time))))
            .post("/api/v1/projects/" + project + "/instances:batch")
            .then()
            .statusCode(200)
            .body("results[0].status", equalTo(400))
            .body("results[0].code", equalTo("VALIDATION_FAILED"))
            .body("results[0].detail", containsString("scheduleTime"));
      }
      assertThat(log.errors()).isEmpty();
    }
    assertThat(db.instancesOf(project)).isZero();
  }
}
