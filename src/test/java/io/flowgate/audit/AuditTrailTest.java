package io.flowgate.audit;

import static io.flowgate.support.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.flowgate.support.ErrorLogCapture;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Definition changes leave exactly one audit event, written with the change or not at all, and the
 * admin reads the trail oldest first in keyset pages.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class AuditTrailTest {

  private static final String AUDIT = "/api/v1/audit";

  @Inject Db db;

  @Test
  void projectCreationIsAuditedOnceWithItsActor() {
    String token = adminToken(unique("auditor"));
    String name = unique("p");
    long project =
        Api.as(token)
            .body(Map.of("name", name))
            .post("/api/v1/projects")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("code");

    assertThat(events("project:" + project)).isOne();
    assertThat(
            db.count(
                "select count(*) from audit_event where subject = $1 and action = 'project.create'"
                    + " and actor = $2 and detail->>'name' = $3 and at > now() - interval '1 minute'",
                "project:" + project,
                actorOf(token),
                name))
        .isOne();
  }

  @Test
  void workflowCreationReleaseAndOfflineAreEachAuditedOnce() {
    long project = Api.project();
    String token = adminToken(unique("auditor"));
    long workflow =
        Api.as(token)
            .body(Map.of("name", "audited", "tasks", List.of(Map.of("code", "a", "type", "NOOP"))))
            .post("/api/v1/projects/" + project + "/workflows")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("code");
    String path = "/api/v1/projects/" + project + "/workflows/" + workflow;
    Api.as(token).post(path + "/release").then().statusCode(200);
    Api.as(token).post(path + "/offline").then().statusCode(200);

    String subject = "workflow:" + workflow;
    assertThat(events(subject)).isEqualTo(3);
    for (String action : List.of("workflow.create", "workflow.release", "workflow.offline")) {
      assertThat(
              db.count(
                  "select count(*) from audit_event where subject = $1 and action = $2"
                      + " and actor = $3 and (detail->>'projectCode')::bigint = $4",
                  subject,
                  action,
                  actorOf(token),
                  project))
          .as(action)
          .isOne();
    }
    assertThat(
            db.count(
                "select count(*) from audit_event where subject = $1 and action = 'workflow.release'"
                    + " and detail->>'previous' = 'OFFLINE' and (detail->>'version')::int = 1",
                subject))
        .isOne();
  }

  @Test
  void refusedChangesLeaveNoAuditEvent() {
    long project = Api.project();
    String taken = admin().get("/api/v1/projects/" + project).jsonPath().getString("name");
    long before = db.count("select count(*) from audit_event");

    admin().body(Map.of("name", taken)).post("/api/v1/projects").then().statusCode(409);
    admin()
        .body(Map.of("name", "w", "tasks", List.of(Map.of("code", "a", "type", "NOOP"))))
        .post("/api/v1/projects/424242424242/workflows")
        .then()
        .statusCode(404);
    admin()
        .post("/api/v1/projects/" + project + "/workflows/424242424242/release")
        .then()
        .statusCode(404);

    assertThat(db.count("select count(*) from audit_event")).isEqualTo(before);
  }

  @Test
  void aChangeWhoseAuditEventCannotBeWrittenIsNotMade() {
    long project = Api.project();
    long offline = Api.workflow(project, List.of(Map.of("code", "a", "type", "NOOP")), List.of());
    String name = unique("unauditable");
    db.execute(
        "alter table audit_event add constraint audit_refuses_test_events check ("
            + " detail->>'name' is distinct from '"
            + name
            + "' and not (action = 'workflow.release' and subject = 'workflow:"
            + offline
            + "'))");
    // a refused audit row is the service's own failure: answered 500 and logged as an ERROR once
    // per request, so an operator sees it
    List<String> errors;
    try (ErrorLogCapture log = ErrorLogCapture.open()) {
      admin().body(Map.of("name", name)).post("/api/v1/projects").then().statusCode(500);
      admin()
          .body(Map.of("name", name, "tasks", List.of(Map.of("code", "a", "type", "NOOP"))))
          .post("/api/v1/projects/" + project + "/workflows")
          .then()
          .statusCode(500);
      admin()
          .post("/api/v1/projects/" + project + "/workflows/" + offline + "/release")
          .then()
          .statusCode(500);
      errors = log.errors();
    } finally {
      db.execute("alter table audit_event drop constraint audit_refuses_test_events");
    }

    assertThat(errors)
        .filteredOn(line -> line.contains("ProblemMapper") && line.contains("unexpected failure"))
        .hasSize(3);
    assertThat(db.count("select count(*) from project where name = $1", name)).isZero();
    assertThat(db.count("select count(*) from workflow where name = $1", name)).isZero();
    assertThat(
            db.count(
                "select count(*) from workflow where code = $1 and release_state = 'OFFLINE'",
                offline))
        .isOne();
  }

  @Test
  void auditDetailsCarryNoSecrets() {
    long project = Api.project();
    String secret = "s3cret-" + UUID.randomUUID();
    long workflow =
        admin()
            .body(
                Map.of(
                    "name",
                    unique("w"),
                    "tasks",
                    List.of(
                        Map.of(
                            "code",
                            "call",
                            "type",
                            "HTTP",
                            "params",
                            Map.of(
                                "method",
                                "POST",
                                "url",
                                "https://user:" + secret + "@example.com/hook",
                                "body",
                                secret))),
                    "globalParams",
                    Map.of("password", secret)))
            .post("/api/v1/projects/" + project + "/workflows")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("code");
    String token = adminToken(unique("holder"));
    String tokenSecret = token.substring(token.lastIndexOf('_') + 1);

    assertThat(events("workflow:" + workflow)).isOne();
    assertThat(
            db.count(
                "select count(*) from audit_event where strpos(detail::text, $1) > 0"
                    + " or strpos(detail::text, $2) > 0",
                secret,
                tokenSecret))
        .isZero();
  }

  @Test
  void trailIsReadOldestFirstInKeysetPages() {
    long start = db.count("select coalesce(max(id), 0) from audit_event");
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add("project:" + Api.project());
    }

    List<String> read = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    Long after = start;
    long last = start;
    while (after != null) {
      JsonPath page =
          admin()
              .queryParam("limit", 2)
              .queryParam("after", after)
              .get(AUDIT)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      List<Long> ids = page.getList("items.id", Long.class);
      long previous = last;
      assertThat(ids).isSorted().allMatch(id -> id > previous);
      read.addAll(page.getList("items.subject", String.class));
      sizes.add(ids.size());
      assertThat(page.getList("items.action", String.class)).containsOnly("project.create");
      assertThat(page.getList("items.actor", String.class)).containsOnly("admin");
      assertThat(page.getList("items.at", String.class)).doesNotContainNull();
      assertThat(page.getList("items.detail.name", String.class)).doesNotContainNull();
      after = page.getObject("next", Long.class);
      last = ids.isEmpty() ? last : ids.get(ids.size() - 1);
    }
    assertThat(read).containsExactlyElementsOf(created);
    assertThat(sizes).containsExactly(2, 2, 1);

    admin()
        .queryParam("after", start)
        .get(AUDIT)
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(5))
        .body("next", equalTo(null));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({"limit,0", "limit,501", "limit,ten", "limit,-1", "after,-1", "after,x", "after,1.5"})
  void badPageParameterIs400(String name, String value) {
    admin()
        .queryParam(name, value)
        .get(AUDIT)
        .then()
        .statusCode(400)
        .body("code", equalTo("VALIDATION_FAILED"));
  }

  @Test
  void projectTokenMayNotReadTheTrail() {
    long project = Api.project();
    Api.as(Api.token(project, "read", "start"))
        .get(AUDIT)
        .then()
        .statusCode(403)
        .body("code", equalTo("FORBIDDEN"));
  }

  private long events(String subject) {
    return db.count("select count(*) from audit_event where subject = $1", subject);
  }

  private static String adminToken(String name) {
    return admin()
        .body(Map.of("name", name, "admin", true))
        .post("/api/v1/tokens")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath()
        .getString("secret");
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
  }

  /** A token acts as {@code token:<id>}: names need not be unique, ids are. */
  private static String actorOf(String token) {
    return "token:" + token.split("_")[1];
  }
}
