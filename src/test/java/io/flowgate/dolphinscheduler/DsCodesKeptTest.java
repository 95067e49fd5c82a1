package io.flowgate.dolphinscheduler;

import static io.flowgate.dolphinscheduler.DsClient.minimal;
import static io.flowgate.dolphinscheduler.DsClient.postForm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * An admin creates a project and a workflow with the codes they had in DolphinScheduler, so DS
 * clients keep their projectCode and processDefinitionCode.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class DsCodesKeptTest {

  @Inject Db db;

  @Test
  void dsCodesAreKeptAndADsClientStartsWithThem() {
    // codes ahead of the generator (DS's own are 13-15 digits; small ones here keep other tests'
    // generated codes small, since a chosen code moves the generator past it)
    long projectCode = Api.project() + 1_000 + ThreadLocalRandom.current().nextInt(1_000);
    long workflowCode = projectCode + 1;
    Api.admin()
        .body(Map.of("name", "ds-" + projectCode, "code", projectCode))
        .post("/api/v1/projects")
        .then()
        .statusCode(201)
        .body("code", equalTo((int) projectCode));
    Api.admin()
        .body(
            Map.of(
                "name",
                "wf",
                "code",
                workflowCode,
                "tasks",
                List.of(Map.of("code", "t1", "type", "NOOP")),
                "edges",
                List.of()))
        .post("/api/v1/projects/" + projectCode + "/workflows")
        .then()
        .statusCode(201)
        .body("code", equalTo((int) workflowCode));
    Api.admin()
        .post("/api/v1/projects/" + projectCode + "/workflows/" + workflowCode + "/release")
        .then()
        .statusCode(200);

    postForm(Api.token(projectCode, "start"), projectCode, minimal(workflowCode))
        .then()
        .statusCode(200)
        .body("code", equalTo(0));
    assertThat(
            db.count(
                "select count(*) from workflow_instance where project_code = $1"
                    + " and workflow_code = $2",
                projectCode,
                workflowCode))
        .isOne();

    // a code in use is refused, and a generated code never meets a chosen one later
    Api.admin()
        .body(Map.of("name", "other-" + projectCode, "code", projectCode))
        .post("/api/v1/projects")
        .then()
        .statusCode(409)
        .body("code", equalTo("CODE_TAKEN"));
    long generated = Api.project();
    assertThat(generated).isGreaterThan(workflowCode);
  }

  @Test
  void nonPositiveCodeIsRefusedAndWritesNothing() {
    long before = db.count("select count(*) from project");
    Api.admin()
        .body(Map.of("name", "neg-code", "code", -5))
        .post("/api/v1/projects")
        .then()
        .statusCode(400)
        .body("code", equalTo("VALIDATION_FAILED"));
    assertThat(db.count("select count(*) from project")).isEqualTo(before);
  }
}
