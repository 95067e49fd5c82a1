package io.flowgate.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.isIn;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class DolphinCompatResourceTest {

  @Inject Db db;

  long project;
  long workflow;
  String token;

  @BeforeEach
  void setUp() {
    project = Api.project();
    workflow = Api.releasedWorkflow(project);
    token = Api.token(project, "read", "start");
  }

  private RequestSpecification dolphin(String tokenValue) {
    return given().header("token", tokenValue).contentType("application/x-www-form-urlencoded");
  }

  private String startPath(long projectCode) {
    return "/dolphinscheduler/projects/" + projectCode + "/executors/start-process-instance";
  }

  @Test
  void formStartWithTokenHeaderAnswersResultWithInstanceId() {
    Response response =
        dolphin(token)
            .formParam("processDefinitionCode", workflow)
            .formParam("failureStrategy", "CONTINUE")
            .formParam("processInstancePriority", "HIGH")
            .formParam("warningType", "NONE")
            .formParam("scheduleTime", "2026-01-01 00:00:00")
            .formParam("startParams", "{\"date\":\"2026-01-01\",\"n\":3}")
            .formParam("dryRun", "0")
            .formParam("someFutureParameter", "ignored")
            .post(startPath(project));

    response
        .then()
        .statusCode(200)
        .body("code", equalTo(0))
        .body("msg", equalTo("success"))
        .body("success", equalTo(true))
        .body("failed", equalTo(false));
    long id = response.jsonPath().getLong("data");
    assertThat(
            db.count(
                "select count(*) from workflow_instance where id = $1 and project_code = $2"
                    + " and failure_strategy = 'CONTINUE' and priority = 'HIGH' and params->>'n' = '3'",
                id,
                project))
        .isOne();

    dolphin(token)
        .get("/dolphinscheduler/projects/" + project + "/process-instances/" + id)
        .then()
        .statusCode(200)
        .body("code", equalTo(0))
        .body("data.id", equalTo((int) id))
        .body("data.state", isIn(List.of("SUBMITTED", "RUNNING", "SUCCESS")));
  }

  @Test
  void idempotencyKeyIsHonoured() {
    long first =
        dolphin(token)
            .header("Idempotency-Key", "ds-1")
            .formParam("processDefinitionCode", workflow)
            .post(startPath(project))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getLong("data");
    long second =
        dolphin(token)
            .header("Idempotency-Key", "ds-1")
            .formParam("processDefinitionCode", workflow)
            .post(startPath(project))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getLong("data");
    assertThat(second).isEqualTo(first);
    assertThat(db.instancesOf(project)).isOne();
  }

  static Stream<Arguments> badForms() {
    return Stream.of(
        Arguments.of("missing definition code", null, null, null),
        Arguments.of("definition code not a number", "abc", null, null),
        Arguments.of("bad failure strategy", "W", "failureStrategy", "MAYBE"),
        Arguments.of("bad priority", "W", "processInstancePriority", "URGENT"),
        Arguments.of("bad warning type", "W", "warningType", "LOUD"),
        Arguments.of("bad dry run", "W", "dryRun", "2"),
        Arguments.of("bad run mode", "W", "runMode", "FAST"),
        Arguments.of("negative timeout", "W", "timeout", "-1"),
        Arguments.of("start params not JSON", "W", "startParams", "{oops"),
        Arguments.of("start params not an object", "W", "startParams", "[1]"),
        Arguments.of("bad schedule time", "W", "scheduleTime", "someday"),
        Arguments.of("bad task depend type", "W", "taskDependType", "ALL"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badForms")
  void badFormParameterIs10001AndWritesNothing(
      String what, String code, String param, String value) {
    RequestSpecification request = dolphin(token);
    if (code != null) {
      request.formParam(
          "processDefinitionCode", code.equals("W") ? String.valueOf(workflow) : code);
    }
    if (param != null) {
      request.formParam(param, value);
    }
    request
        .post(startPath(project))
        .then()
        .statusCode(400)
        .body("code", equalTo(10001))
        .body("success", equalTo(false));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void unknownDefinitionIs50003() {
    dolphin(token)
        .formParam("processDefinitionCode", 123456789)
        .post(startPath(project))
        .then()
        .statusCode(404)
        .body("code", equalTo(50003));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void offlineDefinitionIs50004() {
    Api.admin()
        .post("/api/v1/projects/" + project + "/workflows/" + workflow + "/offline")
        .then()
        .statusCode(200);
    dolphin(token)
        .formParam("processDefinitionCode", workflow)
        .post(startPath(project))
        .then()
        .statusCode(409)
        .body("code", equalTo(50004));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void tokenOfAnotherProjectIs30002() {
    long other = Api.project();
    dolphin(Api.token(other, "start"))
        .formParam("processDefinitionCode", workflow)
        .post(startPath(project))
        .then()
        .statusCode(403)
        .body("code", equalTo(30002));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void missingTokenIs401WithResultShape() {
    given()
        .contentType("application/x-www-form-urlencoded")
        .formParam("processDefinitionCode", workflow)
        .post(startPath(project))
        .then()
        .statusCode(401)
        .body("success", equalTo(false));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void instanceOfAnotherProjectIsNotFound() {
    long id =
        dolphin(token)
            .formParam("processDefinitionCode", workflow)
            .post(startPath(project))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getLong("data");
    long other = Api.project();
    dolphin(Api.token(other, "read"))
        .get("/dolphinscheduler/projects/" + other + "/process-instances/" + id)
        .then()
        .statusCode(404);
  }
}
