package io.flowgate.api;

import static io.flowgate.support.Api.startPath;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every start input a client can get wrong: its status, its code, and that nothing was written. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class StartValidationTest {

  @Inject Db db;

  long project;
  long workflow;

  @BeforeEach
  void setUp() {
    project = Api.project();
    workflow = Api.releasedWorkflow(project);
  }

  static Stream<Arguments> badBodies() {
    String big = "x".repeat(5000);
    return Stream.of(
        Arguments.of("not json", "{", 400, "BAD_REQUEST"),
        Arguments.of("trailing garbage", "{} x", 400, "BAD_REQUEST"),
        Arguments.of(
            "duplicate key", "{\"priority\":\"HIGH\",\"priority\":\"LOW\"}", 400, "BAD_REQUEST"),
        Arguments.of("unknown field", "{\"prioirty\":\"HIGH\"}", 400, "VALIDATION_FAILED"),
        Arguments.of("bad priority", "{\"priority\":\"URGENT\"}", 400, "VALIDATION_FAILED"),
        Arguments.of("numeric priority", "{\"priority\":1}", 400, "VALIDATION_FAILED"),
        Arguments.of(
            "bad failure strategy", "{\"failureStrategy\":\"RETRY\"}", 400, "VALIDATION_FAILED"),
        Arguments.of("params not an object", "{\"params\":[1,2]}", 400, "VALIDATION_FAILED"),
        Arguments.of("param value a number", "{\"params\":{\"a\":1}}", 400, "VALIDATION_FAILED"),
        Arguments.of("param value null", "{\"params\":{\"a\":null}}", 400, "VALIDATION_FAILED"),
        Arguments.of(
            "param value NUL", "{\"params\":{\"a\":\"x\\u0000y\"}}", 400, "VALIDATION_FAILED"),
        Arguments.of(
            "param value too long",
            "{\"params\":{\"a\":\"" + big + "\"}}",
            400,
            "VALIDATION_FAILED"),
        Arguments.of(
            "bad schedule time", "{\"scheduleTime\":\"tomorrow\"}", 400, "VALIDATION_FAILED"),
        Arguments.of("dryRun not boolean", "{\"dryRun\":\"yes\"}", 400, "VALIDATION_FAILED"),
        Arguments.of("worker group number", "{\"workerGroup\":7}", 400, "VALIDATION_FAILED"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void badBodyIsRefusedAndWritesNothing(String what, String body, int status, String code) {
    Api.admin()
        .body(body)
        .post(startPath(project, workflow))
        .then()
        .statusCode(status)
        .contentType("application/problem+json")
        .body("code", equalTo(code))
        .body("traceId", notNullValue())
        .body("detail", notNullValue());
    assertThat(db.instancesOf(project)).isZero();
  }

  static Stream<Arguments> badKeys() {
    return Stream.of(
        Arguments.of("spaces", "a b"),
        Arguments.of("too long", "k".repeat(129)),
        Arguments.of("slash", "a/b"),
        Arguments.of("unicode", "ключ"),
        Arguments.of("quote", "a'--"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badKeys")
  void malformedIdempotencyKeyIs400(String what, String key) {
    Api.admin()
        .header("Idempotency-Key", key)
        .post(startPath(project, workflow))
        .then()
        .statusCode(400)
        .body("code", equalTo("VALIDATION_FAILED"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void oversizedBodyIs413() {
    String body = "{\"params\":{\"a\":\"" + "x".repeat(70_000) + "\"}}";
    Api.admin()
        .body(body)
        .post(startPath(project, workflow))
        .then()
        .statusCode(413)
        .body("code", equalTo("PAYLOAD_TOO_LARGE"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void missingTokenIs401() {
    given()
        .contentType("application/json")
        .post(startPath(project, workflow))
        .then()
        .statusCode(401)
        .body("code", equalTo("UNAUTHENTICATED"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void unknownTokenIs401() {
    Api.as("fgt_1_nope")
        .post(startPath(project, workflow))
        .then()
        .statusCode(401)
        .body("code", equalTo("UNAUTHENTICATED"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void tokenOfAnotherProjectIs403() {
    long other = Api.project();
    String token = Api.token(other, "read", "start");
    Api.as(token)
        .post(startPath(project, workflow))
        .then()
        .statusCode(403)
        .body("code", equalTo("PROJECT_ACCESS_DENIED"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void readOnlyTokenCannotStart() {
    String token = Api.token(project, "read");
    Api.as(token)
        .post(startPath(project, workflow))
        .then()
        .statusCode(403)
        .body("code", equalTo("PROJECT_ACCESS_DENIED"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void projectTokenStartsInItsProject() {
    String token = Api.token(project, "start");
    Api.as(token).post(startPath(project, workflow)).then().statusCode(201);
    assertThat(db.instancesOf(project)).isOne();
  }

  @Test
  void unknownWorkflowIs404() {
    Api.admin()
        .post(startPath(project, 999_999_999L))
        .then()
        .statusCode(404)
        .body("code", equalTo("WORKFLOW_NOT_FOUND"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void workflowOfAnotherProjectIs404() {
    long other = Api.project();
    long foreign = Api.releasedWorkflow(other);
    Api.admin()
        .post(startPath(project, foreign))
        .then()
        .statusCode(404)
        .body("code", equalTo("WORKFLOW_NOT_FOUND"));
    assertThat(db.instancesOf(project)).isZero();
    assertThat(db.instancesOf(other)).isZero();
  }

  @Test
  void offlineWorkflowIs409() {
    Api.admin()
        .post("/api/v1/projects/" + project + "/workflows/" + workflow + "/offline")
        .then()
        .statusCode(200)
        .body("releaseState", equalTo("OFFLINE"));
    Api.admin()
        .post(startPath(project, workflow))
        .then()
        .statusCode(409)
        .body("code", equalTo("WORKFLOW_NOT_RELEASED"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void nonNumericWorkflowCodeIs404() {
    RequestSpecification admin = Api.admin();
    admin
        .post("/api/v1/projects/" + project + "/workflows/abc/instances")
        .then()
        .statusCode(404)
        .body("code", equalTo("NOT_FOUND"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void wrongContentTypeIs415() {
    given()
        .header("Authorization", "Bearer " + Api.ADMIN)
        .contentType("text/plain")
        .body("hi")
        .post(startPath(project, workflow))
        .then()
        .statusCode(415)
        .body("code", equalTo("UNSUPPORTED_MEDIA_TYPE"));
    assertThat(db.instancesOf(project)).isZero();
  }
}
