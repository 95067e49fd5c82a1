package io.flowgate.api;

import static io.flowgate.support.Api.admin;
import static io.flowgate.support.Api.startPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class StartResourceTest {

  @Inject Db db;

  @Test
  void startCreatesCommittedInstanceAndAnswers201() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);

    Response response =
        admin()
            .header("Idempotency-Key", "order-1")
            .body(Map.of("params", Map.of("a", "1"), "priority", "HIGH"))
            .post(startPath(project, workflow));

    response
        .then()
        .statusCode(201)
        .header("Location", matchesPattern(".*/api/v1/instances/\\d+"))
        .header("traceparent", notNullValue())
        .body("state", equalTo("SUBMITTED"))
        .body("idempotencyKey", equalTo("order-1"));
    assertThat(response.jsonPath().getLong("projectCode")).isEqualTo(project);
    assertThat(response.jsonPath().getLong("workflowCode")).isEqualTo(workflow);
    long id = response.jsonPath().getLong("instanceId");
    assertThat(db.count("select count(*) from workflow_instance where id = $1", id)).isEqualTo(1);
    assertThat(response.jsonPath().getString("traceId"))
        .isEqualTo(response.header("traceparent").substring(3, 35));
  }

  @Test
  void createdAndReplayedAnswersAreJsonInUtf8WhateverTheClientAccepts() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);

    for (String accept : new String[] {null, "application/json", "*/*", "application/*"}) {
      String key = "ct-" + (accept == null ? "none" : accept.replace('/', '.').replace('*', 'x'));
      for (int status : new int[] {201, 200}) {
        RequestSpecification request = admin().header("Idempotency-Key", key).body("{}");
        if (accept != null) {
          request.accept(accept);
        }
        Response response = request.post(startPath(project, workflow));

        assertThat(response.statusCode()).as("Accept %s", accept).isEqualTo(status);
        assertThat(response.header("Content-Type"))
            .as("Accept %s, status %d", accept, status)
            .isEqualTo("application/json;charset=UTF-8");
      }
    }
  }
}
