package io.flowgate.dolphinscheduler;

import static io.flowgate.dolphinscheduler.DsClient.as;
import static io.flowgate.dolphinscheduler.DsClient.minimal;
import static io.flowgate.dolphinscheduler.DsClient.postForm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DS's definition import (ProcessDefinitionController 3.2.2 line 710, multipart part {@code file}).
 * The fixtures are DS exports: {@code api-test-3.2.2-test.json} is DS's own
 * (dolphinscheduler-api-test-case/src/test/resources/workflow-json/test.json at 3.2.2, imported by
 * ProcessDefinitionAPITest line 99); {@code http-chain-export.json} is the same structure
 * (DagDataSchedule, written by ProcessDefinitionServiceImpl.downloadProcessDefinitionFile, 3.2.2
 * line 1121) with three HTTP tasks whose taskParams are what the 3.2.2 UI writes (format-data.ts
 * lines 88-97, defaults tasks/use-http.ts lines 41-53).
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class DsImportTest {

  private static final String ADMIN = Api.ADMIN;

  @Inject Db db;
  @Inject Vertx vertx;

  private HttpServer server;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  long project;
  long workflow;
  long a;
  long b;
  long c;

  @BeforeEach
  void setUp() {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  hits.computeIfAbsent(req.path(), p -> new AtomicInteger()).incrementAndGet();
                  req.response().setStatusCode(200).endAndForget("ok");
                })
            .listen(0)
            .await()
            .atMost(Duration.ofSeconds(10));
    project = Api.project();
    // a chosen code ahead of the generator, small so other tests' generated codes stay small
    workflow = project + 1_000 + ThreadLocalRandom.current().nextInt(1_000);
    // task codes are DS-sized: they are kept as the task codes and never touch the generator
    a = 9_752_684_723_008L;
    b = a + 1;
    c = a + 2;
  }

  @AfterEach
  void stopServer() {
    server.close().await().atMost(Duration.ofSeconds(10));
  }

  @Test
  void importedWorkflowKeepsItsCodesAndAStartRunsItsTasksInOrder() {
    importFile(ADMIN, project, httpChain("nightly-" + workflow))
        .then()
        .statusCode(200)
        .body("code", equalTo(0))
        .body("msg", equalTo("success"))
        .body("data.code", equalTo((int) workflow))
        .body("data.releaseState", equalTo("OFFLINE"));

    // the definition as Flowgate reads it: DS's codes, the edges of processTaskRelationList
    Api.admin()
        .get("/api/v1/projects/" + project + "/workflows/" + workflow)
        .then()
        .statusCode(200)
        .body("definition.tasks.code", equalTo(List.of("" + a, "" + b, "" + c)))
        .body("definition.tasks.type", equalTo(List.of("HTTP", "HTTP", "HTTP")))
        .body("definition.tasks[0].params.expectStatus", equalTo(200))
        .body("definition.tasks[0].timeoutSeconds", equalTo(120))
        .body("definition.edges.from", equalTo(List.of("" + a, "" + b)))
        .body("definition.edges.to", equalTo(List.of("" + b, "" + c)))
        .body("definition.globalParams.day", equalTo("2024-01-01"));

    Api.admin()
        .post("/api/v1/projects/" + project + "/workflows/" + workflow + "/release")
        .then()
        .statusCode(200);
    long id =
        postForm(ADMIN, project, minimal(workflow))
            .then()
            .statusCode(200)
            .body("code", equalTo(0))
            .extract()
            .jsonPath()
            .getLong("data");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                db.count(
                        "select count(*) from workflow_instance where id = $1 and state = 'SUCCESS'",
                        id)
                    == 1);
    assertThat(
            db.column(
                "select task_code from task_instance where instance_id = $1 order by started_at",
                id))
        .containsExactly("" + a, "" + b, "" + c);
    assertThat(hits.keySet()).contains("/extract", "/load", "/report");
  }

  @Test
  void dsOwnApiTestExportIsRefusedNamingItsShellTaskAndWritesNothing() {
    String file = resource("ds/api-test-3.2.2-test.json");
    long workflows = db.count("select count(*) from workflow");
    // DS's file carries DS's own codes; nothing may be written, so the generator stays put
    importFile(ADMIN, project, file)
        .then()
        .statusCode(200)
        .body("code", equalTo(50029))
        .body("success", equalTo(false))
        .body(
            "msg",
            equalTo(
                "import process definition error: task 'test' has type SHELL, which Flowgate"
                    + " does not run (HTTP only)"));
    assertThat(db.count("select count(*) from workflow")).isEqualTo(workflows);
    assertThat(db.count("select count(*) from workflow where code = $1", 9_752_686_452_032L))
        .isZero();
  }

  /** Every part of an export Flowgate cannot honour is refused by name, and nothing is written. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "task type SQL|50029|task 'load' has type SQL, which Flowgate does not run",
        "httpParams|50029|task 'load' has httpParams; Flowgate sends no extra",
        "httpBody|50029|task 'load' has an httpBody",
        "BODY_CONTAINS|50029|task 'load' has httpCheckCondition=BODY_CONTAINS",
        "timeout WARN|50029|task 'load' has timeoutNotifyStrategy=WARN",
        "worker group|50029|task 'load' has workerGroup=gpu",
        "forbidden task|50029|task 'load' has flag=NO",
        "priority|50029|task 'load' has taskPriority=HIGH",
        "delay|50029|task 'load' has delayTime=5",
        "local params|50029|task 'load' has localParams",
        "url placeholder|50029|task 'load' has a ${...} placeholder",
        "condition relation|50029|processTaskRelationList[0] has conditionType=SUCCESS",
        "unknown pre task|50029|processTaskRelationList[0] has preTaskCode=42",
        "schedule|50029|schedule: Flowgate has no schedules",
        "workflow timeout|50029|processDefinition.timeout=10",
        "serial execution|50029|processDefinition.executionType=SERIAL_WAIT",
        "global OUT param|50029|global param 'day' is OUT/VARCHAR",
        "cycle|50029|task '",
        "two workflows|50029|the file holds 2 workflows",
        "no tasks|50018|taskDefinitionList",
        "no relations|50018|processTaskRelationList",
        "not json|50018|the file is not a non-empty JSON array",
      })
  void unsupportedPartsAreRefusedByNameAndNothingIsWritten(
      String change, int code, String expected) {
    String file = variant(change);
    long workflows = db.count("select count(*) from workflow");
    long audits = db.count("select count(*) from audit_event");
    importFile(ADMIN, project, file)
        .then()
        .statusCode(200)
        .body("code", equalTo(code))
        .body("success", equalTo(false))
        .body(
            code == 50029 ? "msg" : "detail",
            startsWith(code == 50029 ? "import process definition error: " + expected : expected));
    assertThat(db.count("select count(*) from workflow")).isEqualTo(workflows);
    assertThat(db.count("select count(*) from workflow_version where workflow_code = $1", workflow))
        .isZero();
    assertThat(db.count("select count(*) from audit_event")).isEqualTo(audits);
  }

  @Test
  void reImportAndCodeOrNameClashAreRefusedAndTheFirstImportStaysAsItWas() {
    importFile(ADMIN, project, httpChain("first-" + workflow))
        .then()
        .statusCode(200)
        .body("code", equalTo(0));
    // the same file again: its code is taken (DS would import a renamed copy with new codes)
    importFile(ADMIN, project, httpChain("first-" + workflow))
        .then()
        .statusCode(200)
        .body("code", equalTo(50029))
        .body(
            "msg",
            equalTo("import process definition error: workflow code " + workflow + " is taken"));
    // another code with a name in use: DS's PROCESS_DEFINITION_NAME_EXIST (Status line 228)
    String sameName =
        httpChain("first-" + workflow)
            .replace("\"code\": " + workflow + ",", "\"code\": " + (workflow + 1) + ",");
    assertThat(sameName).contains("\"code\": " + (workflow + 1) + ",");
    importFile(ADMIN, project, sameName)
        .then()
        .statusCode(200)
        .body("code", equalTo(10168))
        .body("msg", equalTo("process definition name first-" + workflow + " already exists"));
    assertThat(db.count("select count(*) from workflow where code = $1", workflow + 1)).isZero();
    assertThat(db.count("select count(*) from workflow_version where workflow_code = $1", workflow))
        .isOne();
    assertThat(
            db.count(
                "select count(*) from workflow where code = $1 and name = $2",
                workflow,
                "first-" + workflow))
        .isOne();
  }

  @Test
  void aTokenThatIsNotAdminAndAnUnknownProjectAreRefusedAsDsDoes() {
    String token = Api.token(project, "read", "start");
    importFile(token, project, httpChain("n-" + workflow))
        .then()
        .statusCode(200)
        .body("code", equalTo(30002));
    importFile(ADMIN, 1L << 50, httpChain("n-" + workflow))
        .then()
        .statusCode(200)
        .body("code", equalTo(10190));
    // no file part: Spring's MissingServletRequestPartException under @ApiException(50029)
    as(ADMIN)
        .multiPart("other", "x")
        .post(importPath(project))
        .then()
        .statusCode(200)
        .body("code", equalTo(50029))
        .body("detail", equalTo("the multipart part 'file' is required"));
    assertThat(db.count("select count(*) from workflow where code = $1", workflow)).isZero();
  }

  @Test
  void aChineseClientGetsDsChineseTexts() {
    importFile(ADMIN, 1L << 50, httpChain("zh-" + workflow), r -> r.header("language", "zh_CN"))
        .then()
        .statusCode(200)
        .body("code", equalTo(10190))
        .body("msg", equalTo("该项目不存在,请刷新页面"));
    // the cookie wins over the header (LocaleChangeInterceptor leaves a cookie's request alone)
    importFile(
            ADMIN,
            1L << 50,
            httpChain("zh-" + workflow),
            r -> r.cookie("language", "en_US").header("language", "zh_CN"))
        .then()
        .body("msg", equalTo("This project was not found. Please refresh page."));
    as(ADMIN)
        .cookie("language", "zh_CN")
        .contentType("application/x-www-form-urlencoded")
        .body(DsClient.form(DsClient.with(minimal(workflow), "warningType", "ALL")))
        .post(DsClient.startPath(project))
        .then()
        .statusCode(200)
        .body("code", equalTo(10001))
        .body("msg", equalTo("请求参数[warningType=ALL]无效"));
  }

  // --- fixtures

  private static String importPath(long project) {
    return "/dolphinscheduler/projects/" + project + "/process-definition/import";
  }

  private Response importFile(String token, long project, String file) {
    return importFile(token, project, file, r -> {});
  }

  private Response importFile(
      String token,
      long project,
      String file,
      Consumer<io.restassured.specification.RequestSpecification> extra) {
    var spec =
        as(token)
            .multiPart(
                "file", "export.json", file.getBytes(StandardCharsets.UTF_8), "application/json");
    extra.accept(spec);
    return spec.post(importPath(project));
  }

  private String httpChain(String name) {
    return resource("ds/http-chain-export.json")
        .replace("@PROJECT@", "" + project)
        .replace("@WORKFLOW@", "" + workflow)
        .replace("@A@", "" + a)
        .replace("@B@", "" + b)
        .replace("@C@", "" + c)
        .replace("@NAME@", name)
        .replace("@URL@", "http://127.0.0.1:" + server.actualPort());
  }

  private String variant(String change) {
    JsonArray all = new JsonArray(httpChain("v-" + workflow));
    JsonObject dag = all.getJsonObject(0);
    JsonObject pd = dag.getJsonObject("processDefinition");
    JsonObject load = dag.getJsonArray("taskDefinitionList").getJsonObject(1);
    JsonObject params = load.getJsonObject("taskParams");
    JsonObject relation = dag.getJsonArray("processTaskRelationList").getJsonObject(0);
    switch (change) {
      case "task type SQL" -> load.put("taskType", "SQL");
      case "httpParams" ->
          params.put(
              "httpParams",
              new JsonArray()
                  .add(Map.of("prop", "x", "httpParametersType", "HEADERS", "value", "1")));
      case "httpBody" -> params.put("httpBody", "{\"a\":1}");
      case "BODY_CONTAINS" ->
          params.put("httpCheckCondition", "BODY_CONTAINS").put("condition", "ok");
      case "timeout WARN" ->
          load.put("timeoutFlag", "OPEN").put("timeoutNotifyStrategy", "WARN").put("timeout", 5);
      case "worker group" -> load.put("workerGroup", "gpu");
      case "forbidden task" -> load.put("flag", "NO");
      case "priority" -> load.put("taskPriority", "HIGH");
      case "delay" -> load.put("delayTime", 5);
      case "local params" ->
          params.put(
              "localParams",
              new JsonArray()
                  .add(Map.of("prop", "x", "direct", "IN", "type", "VARCHAR", "value", "1")));
      case "url placeholder" -> params.put("url", "http://127.0.0.1/${day}");
      case "condition relation" -> relation.put("conditionType", "SUCCESS");
      case "unknown pre task" -> relation.put("preTaskCode", 42);
      case "schedule" -> dag.put("schedule", new JsonObject().put("crontab", "0 0 * * * ? *"));
      case "workflow timeout" -> pd.put("timeout", 10);
      case "serial execution" -> pd.put("executionType", "SERIAL_WAIT");
      case "global OUT param" ->
          pd.put(
              "globalParams",
              "[{\"prop\":\"day\",\"direct\":\"OUT\",\"type\":\"VARCHAR\",\"value\":\"\"}]");
      case "cycle" ->
          dag.getJsonArray("processTaskRelationList")
              .add(relation.copy().put("preTaskCode", c).put("postTaskCode", a));
      case "two workflows" -> all.add(dag.copy());
      case "no tasks" -> dag.put("taskDefinitionList", new JsonArray());
      case "no relations" -> dag.put("processTaskRelationList", new JsonArray());
      case "not json" -> {
        return "{not json";
      }
      default -> throw new IllegalArgumentException(change);
    }
    return all.encodePrettily();
  }

  private static String resource(String path) {
    try (InputStream in = DsImportTest.class.getClassLoader().getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
