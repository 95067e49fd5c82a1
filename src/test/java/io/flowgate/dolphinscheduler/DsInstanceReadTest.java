package io.flowgate.dolphinscheduler;

import static io.flowgate.dolphinscheduler.DsClient.instancesPath;
import static io.flowgate.dolphinscheduler.DsClient.minimal;
import static io.flowgate.dolphinscheduler.DsClient.postForm;
import static io.flowgate.dolphinscheduler.DsClient.with;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.isIn;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import io.flowgate.support.Api;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reads DS clients make (ProcessInstanceController 3.2.2): one instance in DS's ProcessInstance
 * shape with dagData (line 206), the paged list with DS's filters (line 105).
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class DsInstanceReadTest {

  static final String DS_TIME = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}";

  long project;
  long workflow;
  String token;

  @BeforeEach
  void setUp() {
    project = Api.project();
    workflow = Api.releasedWorkflow(project);
    token = Api.token(project, "read", "start");
  }

  private long start(String params) {
    return postForm(token, project, with(minimal(workflow), "startParams", params))
        .then()
        .body("code", equalTo(0))
        .extract()
        .jsonPath()
        .getLong("data");
  }

  @Test
  void instanceIsReadInDsShape() {
    long id = start("{\"date\":\"2026-01-01\"}");
    given()
        .header("token", token)
        .get(instancesPath(project) + "/" + id)
        .then()
        .statusCode(200)
        .body("code", equalTo(0))
        .body("data.id", equalTo((int) id))
        .body(
            "data.processDefinitionCode",
            equalTo(workflow > Integer.MAX_VALUE ? (Object) workflow : (Object) (int) workflow))
        .body("data.state", isIn(List.of("SUBMITTED_SUCCESS", "RUNNING_EXECUTION", "SUCCESS")))
        .body("data.commandStartTime", matchesPattern(DS_TIME))
        .body("data.scheduleTime", nullValue())
        .body("data.commandType", equalTo("START_PROCESS"))
        .body(
            "data.globalParams",
            equalTo(
                "[{\"prop\":\"date\",\"direct\":\"IN\",\"type\":\"VARCHAR\",\"value\":\"2026-01-01\"}]"))
        .body("data.dagData.taskDefinitionList", hasSize(1))
        .body("data.dagData.taskDefinitionList[0].taskType", equalTo("NOOP"))
        .body("data.dagData.processTaskRelationList[0].preTaskCode", equalTo("0"));
  }

  // queryProcessInstanceById lines 244-270: unknown 50001; another project's 50003; a path id
  // Spring cannot bind: the @ApiException 10116 (line 208)
  @Test
  void unknownForeignAndMalformedIdsAnswerDsCodes() {
    given()
        .header("token", token)
        .get(instancesPath(project) + "/42")
        .then()
        .statusCode(200)
        .body("code", equalTo(50001))
        .body("msg", equalTo("process instance 42 does not exist"));
    long other = Api.project();
    long foreign =
        postForm(Api.token(other, "start"), other, minimal(Api.releasedWorkflow(other)))
            .then()
            .extract()
            .jsonPath()
            .getLong("data");
    given()
        .header("token", token)
        .get(instancesPath(project) + "/" + foreign)
        .then()
        .statusCode(200)
        .body("code", equalTo(50003));
    given()
        .header("token", token)
        .get(instancesPath(project) + "/abc")
        .then()
        .statusCode(200)
        .body("code", equalTo(10116))
        .body("msg", equalTo("query process instance by id error"));
  }

  @Test
  void listPagesAndFiltersAsDs() {
    start("");
    start("");
    start("");
    given()
        .header("token", token)
        .queryParam("pageNo", 1)
        .queryParam("pageSize", 2)
        .queryParam("processDefineCode", workflow)
        .get(instancesPath(project))
        .then()
        .statusCode(200)
        .body("code", equalTo(0))
        .body("data.total", equalTo(3))
        .body("data.totalPage", equalTo(2))
        .body("data.currentPage", equalTo(1))
        .body("data.totalList", hasSize(2));
    given()
        .header("token", token)
        .queryParam("pageNo", 2)
        .queryParam("pageSize", 2)
        .queryParam("stateType", "PAUSE")
        .get(instancesPath(project))
        .then()
        .body("code", equalTo(0))
        .body("data.total", equalTo(0));
    given()
        .header("token", token)
        .queryParam("pageNo", 1)
        .queryParam("pageSize", 10)
        .queryParam("startDate", "2000-01-01 00:00:00")
        .queryParam("endDate", "2000-01-02 00:00:00")
        .get(instancesPath(project))
        .then()
        .body("data.total", equalTo(0));
  }

  // BaseController.checkPageParams 3.2.2 lines 50-57; a missing pageNo cannot be bound: 10113
  @Test
  void badPagingAnswersDsCodes() {
    given()
        .header("token", token)
        .queryParam("pageNo", 0)
        .queryParam("pageSize", 10)
        .get(instancesPath(project))
        .then()
        .statusCode(200)
        .body("code", equalTo(10001))
        .body("msg", equalTo("request parameter pageNo is not valid"));
    given()
        .header("token", token)
        .queryParam("pageSize", 10)
        .get(instancesPath(project))
        .then()
        .statusCode(200)
        .body("code", equalTo(10113));
    given()
        .header("token", token)
        .queryParam("pageNo", 1)
        .queryParam("pageSize", 10)
        .queryParam("startDate", "yesterday")
        .get(instancesPath(project))
        .then()
        .body("code", equalTo(10001))
        .body("msg", equalTo("request parameter startDate,endDate is not valid"));
  }
}
