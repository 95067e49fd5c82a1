package io.flowgate.api;

import static io.flowgate.api.AuthorizationMatrixTest.Credential.ADMIN;
import static io.flowgate.api.AuthorizationMatrixTest.Credential.EXPIRED;
import static io.flowgate.api.AuthorizationMatrixTest.Credential.GARBAGE;
import static io.flowgate.api.AuthorizationMatrixTest.Credential.NONE;
import static io.flowgate.api.AuthorizationMatrixTest.Credential.OTHER_PROJECT;
import static io.flowgate.api.AuthorizationMatrixTest.Credential.PROJECT;
import static io.flowgate.api.AuthorizationMatrixTest.Credential.READ_ONLY;
import static io.flowgate.api.AuthorizationMatrixTest.Credential.REVOKED;
import static io.flowgate.api.AuthorizationMatrixTest.Credential.START_ONLY;
import static io.flowgate.api.AuthorizationMatrixTest.Credential.WRONG_SECRET;
import static io.flowgate.support.Api.admin;
import static io.flowgate.support.Api.startPath;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.flowgate.engine.InstanceStopper;
import io.flowgate.problem.FlowgateException;
import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may call what: every endpoint, native and DolphinScheduler-compatible, against every kind of
 * credential, presented in both token headers. A refused call is shown to change nothing, an
 * allowed mutating call to change what it should.
 *
 * <p>Fixtures: project A holds the workflows, the instances and the scoped tokens; project B is the
 * "other project". Paths name project A unless the endpoint's note says otherwise.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {

  /**
   * The answer of every endpoint to every valid credential: {@code status} or {@code status code}.
   * The DolphinScheduler endpoints answer their Result code (0 on success) with DS's transport:
   * HTTP 200 for a refusal too. Every endpoint answers the {@link #INVALID} credentials 401
   * UNAUTHENTICATED (DolphinScheduler: 401 with 10043 USER_LOGIN_FAILURE).
   */
  private static final String MATRIX =
      """
      endpoint                 other project              read-only                  start-only                 read+start                 admin
      PROJECT_CREATE           403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              201
      PROJECT_LIST             200                        200                        200                        200                        200
      PROJECT_GET              403 PROJECT_ACCESS_DENIED  200                        403 PROJECT_ACCESS_DENIED  200                        200
      RETENTION_GET            403 PROJECT_ACCESS_DENIED  200                        403 PROJECT_ACCESS_DENIED  200                        200
      RETENTION_SET            403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              200
      RETENTION_RESET          403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              200
      TOKEN_CREATE             403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              201
      TOKEN_LIST               403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              200
      TOKEN_REVOKE             403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              204
      WORKFLOW_CREATE          403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              201
      WORKFLOW_LIST            403 PROJECT_ACCESS_DENIED  200                        403 PROJECT_ACCESS_DENIED  200                        200
      WORKFLOW_GET             403 PROJECT_ACCESS_DENIED  200                        403 PROJECT_ACCESS_DENIED  200                        200
      WORKFLOW_RELEASE         403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              200
      WORKFLOW_OFFLINE         403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              200
      START                    403 PROJECT_ACCESS_DENIED  403 PROJECT_ACCESS_DENIED  201                        201                        201
      START_FOREIGN_WORKFLOW   404 WORKFLOW_NOT_FOUND     403 PROJECT_ACCESS_DENIED  403 PROJECT_ACCESS_DENIED  403 PROJECT_ACCESS_DENIED  404 WORKFLOW_NOT_FOUND
      BATCH_START              403 PROJECT_ACCESS_DENIED  403 PROJECT_ACCESS_DENIED  200                        200                        200
      INSTANCE_GET             404 INSTANCE_NOT_FOUND     200                        403 PROJECT_ACCESS_DENIED  200                        200
      INSTANCE_STOP            404 INSTANCE_NOT_FOUND     403 PROJECT_ACCESS_DENIED  202                        202                        202
      INSTANCE_LIST            403 PROJECT_ACCESS_DENIED  200                        403 PROJECT_ACCESS_DENIED  200                        200
      INSTANCE_BY_KEY          403 PROJECT_ACCESS_DENIED  200                        403 PROJECT_ACCESS_DENIED  200                        200
      INSTANCE_BY_FOREIGN_KEY  404 INSTANCE_NOT_FOUND     403 PROJECT_ACCESS_DENIED  403 PROJECT_ACCESS_DENIED  403 PROJECT_ACCESS_DENIED  404 INSTANCE_NOT_FOUND
      AUDIT_LIST               403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              403 FORBIDDEN              200
      DS_START                 200 30002                  200 30002                  200 0                      200 0                      200 0
      DS_INSTANCE              200 30002                  200 0                      200 30002                  200 0                      200 0
      DS_FOREIGN_INSTANCE      200 50003                  200 30002                  200 30002                  200 30002                  200 50003
      DS_INSTANCE_LIST         200 30002                  200 0                      200 30002                  200 0                      200 0
      DS_TRIGGER               200 30002                  200 0                      200 30002                  200 0                      200 0
      DS_IMPORT                200 30002                  200 30002                  200 30002                  200 30002                  200 0
      """;

  /** Credentials that identify nobody: every endpoint answers them 401. */
  static final List<Credential> INVALID = List.of(NONE, GARBAGE, WRONG_SECRET, EXPIRED, REVOKED);

  /** Routes outside the authenticated prefixes, on purpose. */
  private static final Set<String> UNAUTHENTICATED_ROUTES = Set.of("POST /bench/echo");

  private static final String KEY = "matrix-key";
  private static final List<Map<String, Object>> NOOP =
      List.of(Map.of("code", "a", "type", "NOOP"));
  private static final List<Map<String, Object>> HOLD =
      List.of(Map.of("code", "hold", "type", "WAIT", "params", Map.of("seconds", 3600)));

  /** What a caller presents. The label of a valid one is its column in {@link #MATRIX}. */
  enum Credential {
    NONE("no token"),
    GARBAGE("garbage"),
    WRONG_SECRET("fgt_<id>_<wrong secret>"),
    EXPIRED("expired"),
    REVOKED("revoked"),
    OTHER_PROJECT("other project"),
    READ_ONLY("read-only"),
    START_ONLY("start-only"),
    PROJECT("read+start"),
    ADMIN("admin");

    final String label;

    Credential(String label) {
      this.label = label;
    }
  }

  /** How the token travels. */
  enum Header {
    BEARER("Authorization: Bearer"),
    TOKEN("token header"),
    ABSENT("no header");

    final String label;

    Header(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** One call: the request, and for a mutating one the count its success changes. */
  record Call(
      String method,
      String path,
      Object json,
      Map<String, Object> form,
      String changes,
      List<Object> changesArgs,
      String file) {

    static Call get(String path) {
      return new Call("GET", path, null, null, null, List.of(), null);
    }

    static Call post(String path, Object json) {
      return new Call("POST", path, json, null, null, List.of(), null);
    }

    static Call put(String path, Object json) {
      return new Call("PUT", path, json, null, null, List.of(), null);
    }

    static Call delete(String path) {
      return new Call("DELETE", path, null, null, null, List.of(), null);
    }

    static Call form(String path, Map<String, Object> form) {
      return new Call("POST", path, null, form, null, List.of(), null);
    }

    /** A multipart POST with one part {@code file}. */
    static Call upload(String path, String file) {
      return new Call("POST", path, null, null, null, List.of(), file);
    }

    /** The count (SQL and arguments) that an allowed call changes and a refused one does not. */
    Call changing(String sql, Object... args) {
      return new Call(method, path, json, form, sql, List.of(args), file);
    }
  }

  /**
   * Every endpoint. The call is built per invocation; {@code fresh} asks for a target of its own
   * when the call is expected to succeed and would use its target up (a revoked token, a stopped
   * instance).
   */
  enum Endpoint {
    PROJECT_CREATE(
        "POST /api/v1/projects",
        null,
        (f, fresh) ->
            Call.post("/api/v1/projects", Map.of("name", unique("p")))
                .changing("select count(*) from project")),
    PROJECT_LIST("GET /api/v1/projects", null, (f, fresh) -> Call.get("/api/v1/projects")),
    PROJECT_GET(
        "GET /api/v1/projects/{projectCode}",
        null,
        (f, fresh) -> Call.get("/api/v1/projects/" + f.a)),
    RETENTION_GET(
        "GET /api/v1/projects/{projectCode}/retention",
        null,
        (f, fresh) -> Call.get("/api/v1/projects/" + f.a + "/retention")),
    RETENTION_SET(
        "PUT /api/v1/projects/{projectCode}/retention",
        null,
        (f, fresh) ->
            Call.put("/api/v1/projects/" + f.a + "/retention", Map.of("retentionDays", 30))
                .changing(
                    "select count(*) from audit_event where action = 'project.retention'"
                        + " and subject = $1",
                    "project:" + f.a)),
    RETENTION_RESET(
        "DELETE /api/v1/projects/{projectCode}/retention",
        null,
        (f, fresh) ->
            Call.delete("/api/v1/projects/" + f.a + "/retention")
                .changing(
                    "select count(*) from audit_event where action = 'project.retention'"
                        + " and subject = $1",
                    "project:" + f.a)),
    TOKEN_CREATE(
        "POST /api/v1/tokens",
        "an admin token",
        (f, fresh) ->
            Call.post("/api/v1/tokens", Map.of("name", "minted", "admin", true))
                .changing("select count(*) from api_token")),
    TOKEN_LIST("GET /api/v1/tokens", null, (f, fresh) -> Call.get("/api/v1/tokens")),
    TOKEN_REVOKE(
        "DELETE /api/v1/tokens/{id}",
        null,
        (f, fresh) -> {
          long id = fresh ? idOf(Api.token(f.a, "read")) : f.victim;
          return Call.delete("/api/v1/tokens/" + id)
              .changing(
                  "select count(*) from api_token where id = $1 and revoked_at is not null", id);
        }),
    WORKFLOW_CREATE(
        "POST /api/v1/projects/{projectCode}/workflows",
        null,
        (f, fresh) ->
            Call.post(
                    "/api/v1/projects/" + f.a + "/workflows",
                    Map.of("name", unique("w"), "tasks", NOOP))
                .changing("select count(*) from workflow where project_code = $1", f.a)),
    WORKFLOW_LIST(
        "GET /api/v1/projects/{projectCode}/workflows",
        null,
        (f, fresh) -> Call.get("/api/v1/projects/" + f.a + "/workflows")),
    WORKFLOW_GET(
        "GET /api/v1/projects/{projectCode}/workflows/{workflowCode}",
        null,
        (f, fresh) -> Call.get("/api/v1/projects/" + f.a + "/workflows/" + f.workflow)),
    WORKFLOW_RELEASE(
        "POST /api/v1/projects/{projectCode}/workflows/{workflowCode}/release",
        "an offline workflow",
        (f, fresh) -> {
          long w = fresh ? Api.workflow(f.a, NOOP, List.of()) : f.offline;
          return Call.post("/api/v1/projects/" + f.a + "/workflows/" + w + "/release", null)
              .changing(
                  "select count(*) from workflow where code = $1 and release_state = 'ONLINE'", w);
        }),
    WORKFLOW_OFFLINE(
        "POST /api/v1/projects/{projectCode}/workflows/{workflowCode}/offline",
        "a released workflow",
        (f, fresh) -> {
          long w = fresh ? Api.releasedWorkflow(f.a) : f.online;
          return Call.post("/api/v1/projects/" + f.a + "/workflows/" + w + "/offline", null)
              .changing(
                  "select count(*) from workflow where code = $1 and release_state = 'OFFLINE'", w);
        }),
    START(
        "POST /api/v1/projects/{projectCode}/workflows/{workflowCode}/instances",
        null,
        (f, fresh) ->
            Call.post(startPath(f.a, f.workflow), Map.of())
                .changing("select count(*) from workflow_instance where project_code = $1", f.a)),
    START_FOREIGN_WORKFLOW(
        "POST /api/v1/projects/{projectCode}/workflows/{workflowCode}/instances",
        "project B, a workflow of A",
        (f, fresh) ->
            Call.post(startPath(f.b, f.workflow), Map.of())
                .changing(
                    "select count(*) from workflow_instance where project_code in ($1, $2)",
                    f.a,
                    f.b)),
    BATCH_START(
        "POST /api/v1/projects/{projectCode}/instances:batch",
        null,
        (f, fresh) ->
            Call.post(
                    "/api/v1/projects/" + f.a + "/instances:batch",
                    Map.of("items", List.of(Map.of("workflowCode", f.workflow))))
                .changing("select count(*) from workflow_instance where project_code = $1", f.a)),
    INSTANCE_GET(
        "GET /api/v1/instances/{id}", null, (f, fresh) -> Call.get("/api/v1/instances/" + f.done)),
    INSTANCE_STOP(
        "POST /api/v1/instances/{id}/stop",
        "a running instance",
        (f, fresh) -> {
          long id = fresh ? f.newRunning() : f.running;
          return Call.post("/api/v1/instances/" + id + "/stop", null)
              .changing(
                  "select count(*) from instance_transition where instance_id = $1"
                      + " and task_code is null and state in ('STOPPING', 'STOPPED')",
                  id);
        }),
    INSTANCE_LIST(
        "GET /api/v1/projects/{projectCode}/instances",
        null,
        (f, fresh) -> Call.get("/api/v1/projects/" + f.a + "/instances")),
    INSTANCE_BY_KEY(
        "GET /api/v1/projects/{projectCode}/instances/by-key/{key}",
        null,
        (f, fresh) -> Call.get("/api/v1/projects/" + f.a + "/instances/by-key/" + KEY)),
    INSTANCE_BY_FOREIGN_KEY(
        "GET /api/v1/projects/{projectCode}/instances/by-key/{key}",
        "project B, a key of A",
        (f, fresh) -> Call.get("/api/v1/projects/" + f.b + "/instances/by-key/" + KEY)),
    AUDIT_LIST("GET /api/v1/audit", null, (f, fresh) -> Call.get("/api/v1/audit")),
    DS_START(
        "POST /dolphinscheduler/projects/{projectCode}/executors/start-process-instance",
        null,
        (f, fresh) ->
            Call.form(
                    "/dolphinscheduler/projects/" + f.a + "/executors/start-process-instance",
                    Map.of(
                        "processDefinitionCode",
                        f.workflow,
                        "scheduleTime",
                        "",
                        "failureStrategy",
                        "CONTINUE",
                        "warningType",
                        "NONE"))
                .changing("select count(*) from workflow_instance where project_code = $1", f.a)),
    DS_INSTANCE(
        "GET /dolphinscheduler/projects/{projectCode}/process-instances/{id}",
        null,
        (f, fresh) ->
            Call.get("/dolphinscheduler/projects/" + f.a + "/process-instances/" + f.done)),
    DS_FOREIGN_INSTANCE(
        "GET /dolphinscheduler/projects/{projectCode}/process-instances/{id}",
        "project B, an instance of A",
        (f, fresh) ->
            Call.get("/dolphinscheduler/projects/" + f.b + "/process-instances/" + f.done)),
    DS_INSTANCE_LIST(
        "GET /dolphinscheduler/projects/{projectCode}/process-instances",
        null,
        (f, fresh) ->
            Call.get(
                "/dolphinscheduler/projects/" + f.a + "/process-instances?pageNo=1&pageSize=10")),
    DS_TRIGGER(
        "GET /dolphinscheduler/projects/{projectCode}/process-instances/trigger",
        null,
        (f, fresh) ->
            Call.get(
                "/dolphinscheduler/projects/"
                    + f.a
                    + "/process-instances/trigger?triggerCode="
                    + (f.done + (1L << 40)))),
    DS_IMPORT(
        "POST /dolphinscheduler/projects/{projectCode}/process-definition/import",
        null,
        (f, fresh) ->
            Call.upload(
                    "/dolphinscheduler/projects/" + f.a + "/process-definition/import",
                    dsExport(f.a + 100_000 + IMPORTED.incrementAndGet()))
                .changing("select count(*) from workflow where project_code = $1", f.a));

    final String route;
    final String note;
    final BiFunction<Fixtures, Boolean, Call> call;

    Endpoint(String route, String note, BiFunction<Fixtures, Boolean, Call> call) {
      this.route = route;
      this.note = note;
      this.call = call;
    }

    boolean dolphin() {
      return route.contains(" /dolphinscheduler/");
    }

    @Override
    public String toString() {
      return route + (note == null ? "" : " (" + note + ")");
    }
  }

  /** One cell of the matrix; {@code expectedCode} is null where only the status is checked. */
  record Case(Endpoint endpoint, Credential credential, int expectedStatus, String expectedCode) {

    boolean allowed() {
      // a DS refusal is HTTP 200 with a non-zero code
      return expectedStatus < 300 && (expectedCode == null || expectedCode.equals("0"));
    }

    @Override
    public String toString() {
      return endpoint
          + " · "
          + credential.label
          + " → "
          + expectedStatus
          + (expectedCode == null ? "" : " " + expectedCode);
    }
  }

  @Inject Db db;
  @Inject InstanceStopper stopper;

  private Fixtures fixtures;

  static List<Case> cases() {
    List<String> lines =
        MATRIX.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(String::strip).toList();
    List<Credential> columns =
        Arrays.stream(lines.get(0).split("\\s{2,}"))
            .skip(1)
            .map(
                label ->
                    Arrays.stream(Credential.values())
                        .filter(c -> c.label.equals(label))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("column " + label)))
            .toList();
    List<Case> cases = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split("\\s{2,}");
      assertThat(cells).as(line).hasSize(columns.size() + 1);
      Endpoint endpoint = Endpoint.valueOf(cells[0]);
      for (Credential invalid : INVALID) {
        cases.add(
            new Case(endpoint, invalid, 401, endpoint.dolphin() ? "10043" : "UNAUTHENTICATED"));
      }
      for (int i = 0; i < columns.size(); i++) {
        String[] cell = cells[i + 1].split(" ");
        cases.add(
            new Case(
                endpoint,
                columns.get(i),
                Integer.parseInt(cell[0]),
                cell.length > 1 ? cell[1] : null));
      }
    }
    return cases;
  }

  /** Each cell, with the token in the Authorization header and in the token header. */
  static Stream<Arguments> matrix() {
    return cases().stream()
        .flatMap(
            c ->
                c.credential() == NONE
                    ? Stream.of(Arguments.of(c, Header.ABSENT))
                    : Stream.of(Arguments.of(c, Header.BEARER), Arguments.of(c, Header.TOKEN)));
  }

  @ParameterizedTest(name = "{0} [{1}]")
  @MethodSource("matrix")
  void callerGetsTheAnswerOfTheMatrix(Case c, Header header) {
    Fixtures f = fixtures();
    Call call = c.endpoint().call.apply(f, c.allowed());
    long before = changes(call);
    long auditsBefore = audits();

    Response response = send(call, f.tokens.get(c.credential()), header);

    String what = c + " [" + header + "] answered " + response.asString();
    assertThat(response.statusCode()).as(what).isEqualTo(c.expectedStatus());
    if (c.expectedCode() != null) {
      assertThat(response.jsonPath().getString("code")).as(what).isEqualTo(c.expectedCode());
    }
    if (!c.allowed() && !c.endpoint().dolphin()) {
      assertThat(response.contentType()).as(what).startsWith("application/problem+json");
    }
    if (call.changes() != null) {
      if (c.allowed()) {
        assertThat(changes(call)).as("what %s changes", c).isNotEqualTo(before);
      } else {
        assertThat(changes(call)).as("refused %s changes nothing", c).isEqualTo(before);
      }
    }
    if (!c.allowed()) {
      assertThat(audits()).as("refused %s is not audited", c).isEqualTo(auditsBefore);
    }
  }

  @Test
  void everyRouteIsInTheMatrix() {
    Set<String> inCode = new TreeSet<>();
    for (JavaClass type :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.flowgate")) {
      String base = type.tryGetAnnotationOfType(Path.class).map(Path::value).orElse(null);
      if (base == null) {
        continue;
      }
      for (JavaMethod method : type.getMethods()) {
        String sub = method.tryGetAnnotationOfType(Path.class).map(Path::value).orElse("");
        for (Class<? extends Annotation> verb :
            List.of(
                GET.class,
                POST.class,
                PUT.class,
                DELETE.class,
                PATCH.class,
                HEAD.class,
                OPTIONS.class)) {
          if (method.isAnnotatedWith(verb)) {
            inCode.add(
                verb.getSimpleName() + " " + (base + "/" + sub).replaceAll("/+$|/(?=/)", ""));
          }
        }
      }
    }
    inCode.removeAll(UNAUTHENTICATED_ROUTES);
    Set<String> inMatrix =
        cases().stream()
            .map(c -> c.endpoint().route)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(inMatrix).isEqualTo(inCode);
    assertThat(cases().stream().map(Case::endpoint).distinct())
        .containsExactlyInAnyOrder(Endpoint.values());
  }

  @Test
  void projectListShowsOnlyTheProjectsTheCallerMayRead() {
    Fixtures f = fixtures();
    Map<Credential, List<Long>> seen = new EnumMap<>(Credential.class);
    for (Credential c : List.of(OTHER_PROJECT, READ_ONLY, START_ONLY, PROJECT, ADMIN)) {
      List<Long> codes =
          Api.as(f.tokens.get(c))
              .get("/api/v1/projects")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getList("code", Long.class);
      seen.put(c, codes.stream().filter(code -> code == f.a || code == f.b).toList());
    }
    assertThat(seen)
        .containsEntry(OTHER_PROJECT, List.of(f.b))
        .containsEntry(READ_ONLY, List.of(f.a))
        .containsEntry(START_ONLY, List.of())
        .containsEntry(PROJECT, List.of(f.a))
        .containsEntry(ADMIN, List.of(f.a, f.b));
  }

  @Test
  void aBadBearerTokenIsNotRescuedByAGoodTokenHeader() {
    given()
        .header("Authorization", "Bearer " + fixtures().tokens.get(WRONG_SECRET))
        .header("token", Api.ADMIN)
        .get("/api/v1/projects")
        .then()
        .statusCode(401);
  }

  // WAIT tasks of an hour must not outlive this class: a later application would take them over
  @AfterAll
  void stopWhatTheMatrixLeftRunning() {
    if (fixtures == null) {
      return;
    }
    InstanceStopper.Asker cleanup =
        new InstanceStopper.Asker() {
          @Override
          public boolean sees(long projectCode) {
            return true;
          }

          @Override
          public void requireStop(long projectCode) {}

          @Override
          public String subject() {
            return "test cleanup";
          }
        };
    for (long id : fixtures.holding) {
      try {
        stopper.stop(cleanup, id).await().atMost(Duration.ofSeconds(30));
      } catch (FlowgateException alreadyFinished) {
        // stopped by the matrix
      }
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                db.count(
                        "select count(*) from workflow_instance where project_code in ($1, $2)"
                            + " and state not in ('SUCCESS', 'FAILURE', 'STOPPED')",
                        fixtures.a,
                        fixtures.b)
                    == 0);
  }

  private Fixtures fixtures() {
    if (fixtures == null) {
      fixtures = new Fixtures(db);
    }
    return fixtures;
  }

  private long changes(Call call) {
    return call.changes() == null ? 0 : db.count(call.changes(), call.changesArgs().toArray());
  }

  private long audits() {
    return db.count("select count(*) from audit_event");
  }

  private static Response send(Call call, String token, Header header) {
    RequestSpecification request = given().urlEncodingEnabled(false);
    if (token != null) {
      request =
          header == Header.TOKEN
              ? request.header("token", token)
              : request.header("Authorization", "Bearer " + token);
    }
    if (call.file() != null) {
      request =
          request.multiPart(
              "file",
              "export.json",
              call.file().getBytes(java.nio.charset.StandardCharsets.UTF_8),
              "application/json");
    } else if (call.form() != null) {
      request = request.contentType("application/x-www-form-urlencoded").formParams(call.form());
    } else {
      request = request.contentType("application/json");
      if (call.json() != null) {
        request = request.body(call.json());
      }
    }
    return request.request(call.method(), call.path());
  }

  private static long idOf(String token) {
    return Long.parseLong(token.split("_", 3)[1]);
  }

  private static final java.util.concurrent.atomic.AtomicLong IMPORTED =
      new java.util.concurrent.atomic.AtomicLong();

  // a DS export of one HTTP task (the fixture of DsImportTest) under a code of its own
  static String dsExport(long code) {
    try (var in =
        AuthorizationMatrixTest.class
            .getClassLoader()
            .getResourceAsStream("ds/http-chain-export.json")) {
      var all =
          new io.vertx.core.json.JsonArray(
              new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                  .replace("@PROJECT@", "1")
                  .replace("@WORKFLOW@", "" + code)
                  .replace("@A@", "11")
                  .replace("@B@", "12")
                  .replace("@C@", "13")
                  .replace("@NAME@", "imported-" + code)
                  .replace("@URL@", "http://127.0.0.1:1"));
      return all.encode();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
  }

  /** Built once, through the API, as a client would; the expired token through SQL. */
  static final class Fixtures {
    final Db db;
    final long a = Api.project();
    final long b = Api.project();
    final long workflow = Api.releasedWorkflow(a);
    final long hold = Api.releasedWorkflow(a, HOLD, List.of());
    final long offline = Api.workflow(a, NOOP, List.of());
    final long online = Api.releasedWorkflow(a);
    final long victim = idOf(Api.token(a, "read"));
    final long done;
    final List<Long> holding = new ArrayList<>();
    final long running;
    final Map<Credential, String> tokens = new HashMap<>();

    Fixtures(Db db) {
      this.db = db;
      Api.releasedWorkflow(b);
      done =
          admin()
              .header("Idempotency-Key", KEY)
              .post(startPath(a, workflow))
              .then()
              .statusCode(201)
              .extract()
              .jsonPath()
              .getLong("instanceId");
      running = newRunning();
      String project = Api.token(a, "read", "start");
      tokens.put(GARBAGE, "not-a-token");
      tokens.put(WRONG_SECRET, "fgt_" + idOf(project) + "_" + UUID.randomUUID());
      tokens.put(EXPIRED, expired());
      tokens.put(REVOKED, revoked());
      tokens.put(OTHER_PROJECT, Api.token(b, "read", "start"));
      tokens.put(READ_ONLY, Api.token(a, "read"));
      tokens.put(START_ONLY, Api.token(a, "start"));
      tokens.put(PROJECT, project);
      tokens.put(ADMIN, Api.ADMIN);
    }

    /** A new instance of the WAIT workflow, once a master runs it. */
    long newRunning() {
      long id =
          admin()
              .post(startPath(a, hold))
              .then()
              .statusCode(201)
              .extract()
              .jsonPath()
              .getLong("instanceId");
      holding.add(id);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  db.count(
                          "select count(*) from workflow_instance where id = $1 and state = 'RUNNING'",
                          id)
                      == 1);
      return id;
    }

    // expired before its first use: a verified token is trusted for the cache TTL
    private String expired() {
      String secret =
          admin()
              .body(Map.of("name", "expired", "projects", List.of(a), "expiresInSeconds", 3600))
              .post("/api/v1/tokens")
              .then()
              .statusCode(201)
              .extract()
              .jsonPath()
              .getString("secret");
      db.execute(
          "update api_token set expires_at = now() - interval '1 minute' where id = $1",
          idOf(secret));
      return secret;
    }

    private String revoked() {
      String secret = Api.token(a, "read", "start");
      admin().delete("/api/v1/tokens/" + idOf(secret)).then().statusCode(204);
      return secret;
    }
  }
}
