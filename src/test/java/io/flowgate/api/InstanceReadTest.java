package io.flowgate.api;

import static io.flowgate.support.Api.admin;
import static io.flowgate.support.Api.startPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import io.flowgate.support.Api;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class InstanceReadTest {

  @Test
  void instanceIsReadWithItsHistoryAndHiddenFromOtherProjects() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    long id =
        admin()
            .post(startPath(project, workflow))
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("instanceId");

    JsonPath instance =
        admin().get("/api/v1/instances/" + id).then().statusCode(200).extract().jsonPath();
    assertThat(instance.getLong("projectCode")).isEqualTo(project);
    assertThat(instance.getList("history.state", String.class)).startsWith("SUBMITTED");

    long other = Api.project();
    Api.as(Api.token(other, "read", "start"))
        .get("/api/v1/instances/" + id)
        .then()
        .statusCode(404)
        .body("code", equalTo("INSTANCE_NOT_FOUND"));
    admin().get("/api/v1/instances/424242424242").then().statusCode(404);
  }

  @Test
  void listIsKeysetPaginated() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    for (int i = 0; i < 5; i++) {
      admin().post(startPath(project, workflow)).then().statusCode(201);
    }
    List<Long> seen = new ArrayList<>();
    Long after = 0L;
    while (after != null) {
      JsonPath page =
          admin()
              .get("/api/v1/projects/" + project + "/instances?limit=2&after=" + after)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      seen.addAll(page.getList("items.id", Long.class));
      after = page.get("next") == null ? null : page.getLong("next");
    }
    assertThat(seen).hasSize(5).doesNotHaveDuplicates().isSorted();
    admin()
        .get("/api/v1/projects/" + project + "/instances?state=DONE")
        .then()
        .statusCode(400)
        .body("code", equalTo("VALIDATION_FAILED"));
  }

  @Test
  void openApiDocumentDescribesTheStartEndpoints() {
    RestAssured.given()
        .accept("application/json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("paths", hasKey("/api/v1/projects/{projectCode}/workflows/{workflowCode}/instances"))
        .body(
            "paths",
            hasKey("/dolphinscheduler/projects/{projectCode}/executors/start-process-instance"));
  }
}
