package io.flowgate.dolphinscheduler;

import static io.flowgate.dolphinscheduler.DsClient.instancesPath;
import static io.flowgate.dolphinscheduler.DsClient.minimal;
import static io.flowgate.dolphinscheduler.DsClient.postForm;
import static io.flowgate.dolphinscheduler.DsClient.startPath;
import static io.flowgate.dolphinscheduler.DsClient.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays of DS 3.2.2 clients against {@code flowgate.dolphinscheduler.version=3.2}: data is a
 * trigger code (a Long beyond the int range: ExecutorServiceImpl 3.2.2 lines 262, 281) that {@code
 * GET .../process-instances/trigger?triggerCode=} resolves (ProcessInstanceController line 429).
 */
@QuarkusTest
@TestProfile(Ds32Profile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class Ds32ReplayTest {

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

  /**
   * The api-test client's raw body (dolphinscheduler-api-test .../pages/workflow/ExecutorPage.java
   * 3.2.2 lines 44-57 with utils/RequestClient.java lines 94-121): "?&" then name=value unencoded,
   * including the User's toString and "t1,t2" as scheduleTime (cases/ExecutorAPITest.java line
   * 129); it reads {@code (long) getData()} (line 134), which needs a Long.
   */
  @Test
  void apiTestRawBodyGetsALongTriggerCodeThatResolves() throws Exception {
    String body =
        "?&loginUser=User(id=1, userName=admin, userPassword=null, email=xxx@qq.com)"
            + "&processDefinitionCode="
            + workflow
            + "&scheduleTime=2024-05-01 10:00:00,2024-05-01 10:00:00"
            + "&failureStrategy=END&warningType=NONE";
    Response r =
        given()
            .header("token", token)
            .contentType("application/x-www-form-urlencoded")
            .body(body)
            .post(startPath(project));
    r.then().statusCode(200).body("code", equalTo(0)).body("success", equalTo(true));
    // read as DS's JSONUtils reads HttpResponseBody.data (an Object): a Long, not an Integer
    Object data = new ObjectMapper().readTree(r.asString()).get("data").numberValue();
    assertThat(data).isInstanceOf(Long.class);
    long triggerCode = (long) data;
    assertThat(triggerCode).isGreaterThan(Integer.MAX_VALUE);
    // ProcessInstancePage.java 3.2.2 lines 44-53: the instances of the trigger
    given()
        .header("token", token)
        .queryParam("triggerCode", triggerCode)
        .get(instancesPath(project) + "/trigger")
        .then()
        .statusCode(200)
        .body("code", equalTo(0))
        .body("data", hasSize(1))
        .body(
            "data[0].processDefinitionCode",
            equalTo(workflow > Integer.MAX_VALUE ? (Object) workflow : (Object) (int) workflow))
        .body("data[0].triggerCode", equalTo(triggerCode));
    assertThat(db.instancesOf(project)).isOne();
  }

  /** The 3.2.2 web UI "Run" dialog: use-form.ts 3.2.2 lines 51-75, use-modal.ts lines 90-131. */
  static Map<String, Object> uiForm322(long workflow) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("processDefinitionCode", workflow);
    f.put("failureStrategy", "CONTINUE");
    f.put("warningType", "NONE");
    f.put("warningGroupId", null);
    f.put("execType", "START_PROCESS");
    f.put("startNodeList", "");
    f.put("taskDependType", "TASK_POST");
    f.put("complementDependentMode", "OFF_MODE");
    f.put("runMode", "RUN_MODE_SERIAL");
    f.put("processInstancePriority", "MEDIUM");
    f.put("workerGroup", "default");
    f.put("tenantCode", "default");
    f.put("environmentCode", null);
    f.put("startParams", "");
    f.put("expectedParallelismNumber", "2");
    f.put("dryRun", 0);
    f.put("testFlag", 0);
    f.put("version", 1);
    f.put("allLevelDependent", "false");
    f.put("executionOrder", "DESC_ORDER");
    f.put(
        "scheduleTime",
        "{\"complementStartDate\":\"2026-11-29 00:00:00\",\"complementEndDate\":\"2026-11-29 00:00:00\"}");
    return f;
  }

  @Test
  void uiRunDialog322StartsOneInstance() {
    Response r = postForm(token, project, uiForm322(workflow));
    r.then().statusCode(200).body("code", equalTo(0)).body("data", instanceOf(Long.class));
    assertThat(
            db.count(
                "select count(*) from workflow_instance where project_code = $1"
                    + " and workflow_version = 1 and schedule_time is null and not test_flag",
                project))
        .isOne();
  }

  // testFlag=1 (3.2: command.setTestFlag, line 783): stored, shown by the read
  @Test
  void testFlagIsStoredAndShown() {
    long trigger =
        postForm(token, project, with(uiForm322(workflow), "testFlag", 1))
            .then()
            .statusCode(200)
            .body("code", equalTo(0))
            .extract()
            .jsonPath()
            .getLong("data");
    assertThat(
            db.count(
                "select count(*) from workflow_instance where project_code = $1 and test_flag"
                    + " and trigger_code = $2",
                project,
                trigger))
        .isOne();
    given()
        .header("token", token)
        .queryParam("triggerCode", trigger)
        .get(instancesPath(project) + "/trigger")
        .then()
        .body("data[0].testFlag", equalTo(1));
  }

  // one trigger code for all dates of a complement; 3.2 sorts DESC_ORDER by default (line 890)
  @Test
  void complementSharesOneTriggerCodeInDescendingOrder() {
    Map<String, Object> f = with(uiForm322(workflow), "execType", "COMPLEMENT_DATA");
    f =
        with(
            f,
            "scheduleTime",
            "{\"complementStartDate\":\"2024-01-01 00:00:00\","
                + "\"complementEndDate\":\"2024-01-03 00:00:00\"}");
    long trigger =
        postForm(token, project, "cmp32", f)
            .then()
            .statusCode(200)
            .body("code", equalTo(0))
            .extract()
            .jsonPath()
            .getLong("data");
    List<Object> dates =
        db.column(
            "select to_char(schedule_time at time zone 'UTC', 'DD') from workflow_instance"
                + " where trigger_code = $1 order by id",
            trigger);
    assertThat(dates).containsExactly("03", "02", "01");
    given()
        .header("token", token)
        .queryParam("triggerCode", trigger)
        .get(instancesPath(project) + "/trigger")
        .then()
        .body("data", hasSize(3))
        .body("data[0].commandType", equalTo("COMPLEMENT_DATA"));
  }

  // checkStartNodeList (ExecutorServiceImpl 3.2.2 lines 569-581): START_NODE_NOT_EXIST_IN_LAST_
  // PROCESS 10207 (Status.java line 272)
  @Test
  void unknownStartNodeIs10207AndWritesNothing() {
    postForm(token, project, with(minimal(workflow), "startNodeList", "ghost"))
        .then()
        .statusCode(200)
        .body("code", equalTo(10207))
        .body("msg", equalTo("this node ghost does not exist in the latest process definition"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void triggerOfAnotherProjectResolvesToNothing() {
    long trigger =
        postForm(token, project, minimal(workflow)).then().extract().jsonPath().getLong("data");
    long other = Api.project();
    given()
        .header("token", Api.token(other, "read"))
        .queryParam("triggerCode", trigger)
        .get(instancesPath(other) + "/trigger")
        .then()
        .statusCode(200)
        .body("code", equalTo(0))
        .body("data", hasSize(0));
  }
}
