package io.flowgate.dolphinscheduler;

import static io.flowgate.dolphinscheduler.DsClient.minimal;
import static io.flowgate.dolphinscheduler.DsClient.postForm;
import static io.flowgate.dolphinscheduler.DsClient.startPath;
import static io.flowgate.dolphinscheduler.DsClient.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays of the requests DS 3.1.9 clients send to start-process-instance, rebuilt from DS's
 * sources at tag 3.1.9, each with the answer DS gives (status, code, msg, data type), then the
 * transport and every parameter the rule covers: honoured, accepted as a no-op, or refused by name
 * with nothing written. Default generation: 3.1.
 */
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

  /**
   * The DS 3.1.9 web UI "Run" dialog: the form defaults of dolphinscheduler-ui/src/views/projects/
   * workflow/definition/components/use-form.ts lines 51-70, sent by use-modal.ts lines 88-129
   * (scheduleTime always a complement range of today, startParams '' when none, nulls as empty).
   */
  static Map<String, Object> uiForm319(long workflow) {
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
    f.put("environmentCode", null);
    f.put("startParams", "");
    f.put("expectedParallelismNumber", "");
    f.put("dryRun", 0);
    f.put(
        "scheduleTime",
        "{\"complementStartDate\":\"2026-11-29 00:00:00\",\"complementEndDate\":\"2026-11-29 00:00:00\"}");
    return f;
  }

  // DS answers Result.success() (ExecutorController 3.1.9 line 165 returnDataList; Status.SUCCESS
  // 0 "success", Status.java line 30); Flowgate's 3.1 data is the instance id (a number)
  @Test
  void uiRunDialog319StartsOneInstanceWithDsDefaults() {
    Response r = postForm(token, project, uiForm319(workflow));
    r.then()
        .statusCode(200)
        .body("code", equalTo(0))
        .body("msg", equalTo("success"))
        .body("success", equalTo(true))
        .body("failed", equalTo(false))
        .body("data", instanceOf(Integer.class))
        .header("Idempotency-Key", notNullValue());
    long id = r.jsonPath().getLong("data");
    // START_PROCESS ignores scheduleTime (ExecutorServiceImpl 3.2.2 lines 797-806): none stored
    assertThat(
            db.count(
                "select count(*) from workflow_instance where id = $1 and project_code = $2"
                    + " and failure_strategy = 'CONTINUE' and priority = 'MEDIUM'"
                    + " and worker_group = 'default' and schedule_time is null"
                    + " and start_nodes is null and not test_flag",
                id,
                project))
        .isOne();
    assertThat(r.jsonPath().getString("idempotencyKey")).isEqualTo(r.header("Idempotency-Key"));
  }

  // Swagger-UI and curl send the parameters in the query string; Spring's @RequestParam binds
  // them like form fields
  @Test
  void queryStringParametersAreBound() {
    given()
        .header("token", token)
        .queryParam("processDefinitionCode", workflow)
        .queryParam("scheduleTime", "")
        .queryParam("failureStrategy", "END")
        .queryParam("warningType", "NONE")
        .post(startPath(project))
        .then()
        .statusCode(200)
        .body("code", equalTo(0));
    assertThat(
            db.count(
                "select count(*) from workflow_instance where project_code = $1"
                    + " and failure_strategy = 'END'",
                project))
        .isOne();
  }

  // Postman's form-data tab sends multipart/form-data; Spring binds its parts as parameters
  @Test
  void multipartFormIsBound() {
    given()
        .header("token", token)
        .multiPart("processDefinitionCode", String.valueOf(workflow))
        .multiPart("scheduleTime", "")
        .multiPart("failureStrategy", "CONTINUE")
        .multiPart("warningType", "NONE")
        .multiPart("processInstancePriority", "HIGH")
        .post(startPath(project))
        .then()
        .statusCode(200)
        .body("code", equalTo(0));
    assertThat(
            db.count(
                "select count(*) from workflow_instance where project_code = $1"
                    + " and priority = 'HIGH'",
                project))
        .isOne();
  }

  @Test
  void sameIdempotencyKeyReplaysTheInstance() {
    Response first = postForm(token, project, "ds-1", minimal(workflow));
    Response second = postForm(token, project, "ds-1", minimal(workflow));
    first.then().statusCode(200).body("code", equalTo(0)).header("Idempotency-Key", "ds-1");
    second
        .then()
        .statusCode(200)
        .body("code", equalTo(0))
        .header("Idempotency-Key", "ds-1")
        .header("Idempotency-Replayed", "true");
    assertThat(second.jsonPath().getLong("data")).isEqualTo(first.jsonPath().getLong("data"));
    assertThat(db.instancesOf(project)).isOne();
  }

  @Test
  void sameKeyWithAnotherFormIsRefusedByName() {
    postForm(token, project, "ds-2", minimal(workflow)).then().body("code", equalTo(0));
    postForm(token, project, "ds-2", with(minimal(workflow), "failureStrategy", "END"))
        .then()
        .statusCode(200)
        .body("code", equalTo(10001))
        .body("msg", equalTo("request parameter Idempotency-Key is not valid"));
    assertThat(db.instancesOf(project)).isOne();
  }

  // version (3.2 parameter, honoured in both generations): the asked version is started
  @Test
  void versionStartsThatVersionAndAnUnknownOneIs50014() {
    postForm(token, project, with(minimal(workflow), "version", 1))
        .then()
        .statusCode(200)
        .body("code", equalTo(0));
    assertThat(
            db.count(
                "select count(*) from workflow_instance where project_code = $1"
                    + " and workflow_version = 1",
                project))
        .isOne();
    // processService.findProcessDefinition(code, 2) is null: NPE at ExecutorServiceImpl 3.2.2
    // line 254, answered by ApiExceptionHandler line 45 with the @ApiException code 50014
    postForm(token, project, with(minimal(workflow), "version", 2))
        .then()
        .statusCode(200)
        .body("code", equalTo(50014))
        .body("msg", equalTo("start process instance error"));
    assertThat(db.instancesOf(project)).isOne();
  }

  /** Accepted as true no-ops: DS itself does nothing with these values in a Flowgate setting. */
  static Stream<Arguments> noOps() {
    return Stream.of(
        // validated, then never used: createCommand has no timeout (ExecutorServiceImpl 3.2.2
        // lines 233, 730)
        Arguments.of("timeout", "3600"),
        Arguments.of("timeout", "86400"),
        // no alert is sent with warningType NONE, whatever the group
        Arguments.of("warningGroupId", "3"),
        Arguments.of("environmentCode", "-1"),
        Arguments.of("tenantCode", "default"),
        // without a release schedule DS skips dependent complements (lines 829-833)
        Arguments.of("complementDependentMode", "ALL_DEPENDENT"),
        Arguments.of("allLevelDependent", "true"),
        // complement-only parameters on a plain start
        Arguments.of("runMode", "RUN_MODE_PARALLEL"),
        Arguments.of("expectedParallelismNumber", "4"),
        Arguments.of("executionOrder", "ASC_ORDER"),
        Arguments.of("someFutureParameter", "ignored"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("noOps")
  void noOpValuesAreAccepted(String name, String value) {
    postForm(token, project, with(minimal(workflow), name, value))
        .then()
        .statusCode(200)
        .body("code", equalTo(0));
    assertThat(db.instancesOf(project)).isOne();
  }

  /**
   * Every refusal, with DS's code and English message (Status.java 3.2.2, line in the comment),
   * HTTP 200, and nothing written.
   */
  static Stream<Arguments> refusals() {
    String startError = "start process instance error"; // 50014, line 353
    return Stream.of(
        // Spring cannot bind: ApiExceptionHandler 3.2.2 line 45 answers the @ApiException 50014
        Arguments.of("processDefinitionCode", null, 50014, startError),
        Arguments.of("processDefinitionCode", "abc", 50014, startError),
        Arguments.of("scheduleTime", null, 50014, startError),
        Arguments.of("failureStrategy", null, 50014, startError),
        Arguments.of("failureStrategy", "MAYBE", 50014, startError),
        Arguments.of("warningType", null, 50014, startError),
        Arguments.of("warningType", "LOUD", 50014, startError),
        Arguments.of("processInstancePriority", "URGENT", 50014, startError),
        Arguments.of("taskDependType", "ALL", 50014, startError),
        Arguments.of("runMode", "FAST", 50014, startError),
        Arguments.of("execType", "NOPE", 50014, startError),
        Arguments.of("timeout", "soon", 50014, startError),
        Arguments.of("dryRun", "yes", 50014, startError),
        // TASK_TIMEOUT_PARAMS_ERROR 10002, line 35; ExecutorServiceImpl line 233
        Arguments.of("timeout", "0", 10002, "task timeout parameter is not valid"),
        Arguments.of("timeout", "86401", 10002, "task timeout parameter is not valid"),
        // TASK_PARALLELISM_PARAMS_ERROR 50080, line 429; ExecutorServiceImpl line 240
        Arguments.of(
            "expectedParallelismNumber", "0", 50080, "task parallelism parameter is not valid"),
        // TENANT_NOT_EXIST 10017, line 48; checkValidTenant lines 383-391
        Arguments.of("tenantCode", "etl", 10017, "tenant [etl] not exists"),
        // refused by name (REQUEST_PARAMS_NOT_VALID_ERROR 10001, line 34): Flowgate cannot honour
        Arguments.of("warningType", "ALL", 10001, "request parameter warningType=ALL is not valid"),
        Arguments.of(
            "warningType", "FAILURE", 10001, "request parameter warningType=FAILURE is not valid"),
        Arguments.of(
            "environmentCode",
            "133155949488832",
            10001,
            "request parameter environmentCode=133155949488832 is not valid"),
        Arguments.of(
            "execType",
            "REPEAT_RUNNING",
            10001,
            "request parameter execType=REPEAT_RUNNING is not valid"),
        Arguments.of(
            "execType",
            "START_FAILURE_TASK_PROCESS",
            10001,
            "request parameter execType=START_FAILURE_TASK_PROCESS is not valid"),
        Arguments.of("dryRun", "2", 10001, "request parameter dryRun=2 is not valid"),
        Arguments.of("testFlag", "2", 10001, "request parameter testFlag=2 is not valid"),
        Arguments.of(
            "startParams",
            "{oops",
            10001,
            "request parameter startParams=(not shown) is not valid"),
        Arguments.of(
            "startParams", "[1]", 10001, "request parameter startParams=(not shown) is not valid"),
        // 3.1.9 has no start node check: a code not in the workflow is refused by name
        Arguments.of(
            "startNodeList", "nope", 10001, "request parameter startNodeList=nope is not valid"));
  }

  @ParameterizedTest(name = "{0}={1} -> {2}")
  @MethodSource("refusals")
  void refusedParameterIsAnsweredAsDsAndWritesNothing(
      String name, String value, int code, String msg) {
    postForm(token, project, with(minimal(workflow), name, value))
        .then()
        .statusCode(200)
        .body("code", equalTo(code))
        .body("msg", equalTo(msg))
        .body("success", equalTo(false))
        .body("failed", equalTo(true))
        .body("data", nullValue());
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void parameterGivenTwiceIsRefusedByName() {
    given()
        .header("token", token)
        .contentType("application/x-www-form-urlencoded")
        .queryParam("failureStrategy", "END")
        .body(DsClient.form(minimal(workflow)))
        .post(startPath(project))
        .then()
        .statusCode(200)
        .body("code", equalTo(10001))
        .body("msg", equalTo("request parameter failureStrategy is not valid"));
    assertThat(db.instancesOf(project)).isZero();
  }

  // checkProcessDefinitionValid (ExecutorServiceImpl 3.2.2 lines 324-339)
  @Test
  void definitionOfAnotherProjectIs50003() {
    long other = Api.project();
    long foreign = Api.releasedWorkflow(other);
    postForm(token, project, minimal(foreign))
        .then()
        .statusCode(200)
        .body("code", equalTo(50003))
        .body("msg", equalTo("process definition " + foreign + " does not exist"));
    assertThat(db.instancesOf(project) + db.instancesOf(other)).isZero();
  }

  // an unknown code: processDefinition is null, NPE at line 254 → 50014
  @Test
  void unknownDefinitionIs50014() {
    postForm(token, project, minimal(123456789L))
        .then()
        .statusCode(200)
        .body("code", equalTo(50014))
        .body("msg", equalTo("start process instance error"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void offlineDefinitionIs50004() {
    Api.admin()
        .post("/api/v1/projects/" + project + "/workflows/" + workflow + "/offline")
        .then()
        .statusCode(200);
    postForm(token, project, minimal(workflow))
        .then()
        .statusCode(200)
        .body("code", equalTo(50004))
        .body("msg", equalTo("process definition " + workflow + " process version 1 not online"));
    assertThat(db.instancesOf(project)).isZero();
  }

  // ProjectServiceImpl.checkProjectAndAuth 3.2.2 lines 814-826
  @Test
  void unknownProjectIs10190() {
    postForm(Api.ADMIN, 987654321L, minimal(workflow))
        .then()
        .statusCode(200)
        .body("code", equalTo(10190))
        .body("msg", equalTo("This project was not found. Please refresh page."));
    assertThat(db.instancesOf(987654321L)).isZero();
  }

  @Test
  void tokenOfAnotherProjectIs30002() {
    long other = Api.project();
    postForm(Api.token(other, "start"), project, minimal(workflow))
        .then()
        .statusCode(200)
        .body("code", equalTo(30002))
        .body("msg", containsString("is not has project " + project + " permission"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void nonNumericProjectCodeIs50014() {
    given()
        .header("token", token)
        .contentType("application/x-www-form-urlencoded")
        .body(DsClient.form(minimal(workflow)))
        .post("/dolphinscheduler/projects/abc/executors/start-process-instance")
        .then()
        .statusCode(200)
        .body("code", equalTo(50014));
    assertThat(db.instancesOf(project)).isZero();
  }

  // DS's LoginHandlerInterceptor answers 401 for a request without a valid login
  @Test
  void missingTokenIs401() {
    given()
        .contentType("application/x-www-form-urlencoded")
        .body(DsClient.form(minimal(workflow)))
        .post(startPath(project))
        .then()
        .statusCode(401)
        .body("code", equalTo(10043))
        .body("success", equalTo(false));
    assertThat(db.instancesOf(project)).isZero();
  }

  // the DS api-test client logs in and sends sessionId (ExecutorPage.java 3.2.2 line 52)
  @Test
  void sessionIdIs401SayingToUseAToken() {
    given()
        .header("sessionId", "0b8c4e5f-session")
        .contentType("application/x-www-form-urlencoded")
        .body(DsClient.form(minimal(workflow)))
        .post(startPath(project))
        .then()
        .statusCode(401)
        .body("msg", containsString("use a token"));
    assertThat(db.instancesOf(project)).isZero();
  }
}
