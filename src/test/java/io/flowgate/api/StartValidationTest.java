package io.flowgate.api;

import static io.flowgate.support.Api.startPath;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may start what: token, scope, workflow and release state, each refusal with its status and
 * code and nothing written. Malformed and hostile input is {@link HostileInputTest}.
 */
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
}
