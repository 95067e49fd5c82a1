package io.flowgate.retention;

import static io.flowgate.support.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A project's retention is read by its tokens, changed only by an admin within 1 to 3650 days, and
 * every change is audited with the value before it; a refused change writes nothing.
 */
@QuarkusTest
@TestProfile(RetentionTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class ProjectRetentionTest {

  @Inject Db db;

  @Test
  void adminSetsAndResetsRetentionAndEachChangeIsAudited() {
    long project = Api.project();
    String path = "/api/v1/projects/" + project + "/retention";
    Api.as(Api.token(project, "read"))
        .get(path)
        .then()
        .statusCode(200)
        .body("retentionDays", nullValue())
        .body("effective", equalTo("PT168H"));

    admin()
        .body(Map.of("retentionDays", 30))
        .put(path)
        .then()
        .statusCode(200)
        .body("projectCode", equalTo((int) project))
        .body("retentionDays", equalTo(30))
        .body("effective", equalTo("PT720H"));
    Api.as(Api.token(project, "read")).get(path).then().body("retentionDays", equalTo(30));
    admin().delete(path).then().statusCode(200).body("retentionDays", nullValue());

    assertThat(retentionDays(project)).isNull();
    assertThat(
            db.count(
                "select count(*) from audit_event where subject = $1 and action = 'project.retention'"
                    + " and actor = 'admin' and (detail->>'retentionDays')::int = 30"
                    + " and detail->>'previous' is null",
                "project:" + project))
        .isOne();
    assertThat(
            db.count(
                "select count(*) from audit_event where subject = $1 and action = 'project.retention'"
                    + " and detail->>'retentionDays' is null and (detail->>'previous')::int = 30",
                "project:" + project))
        .isOne();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"retentionDays\":0}|VALIDATION_FAILED",
        "{\"retentionDays\":-1}|VALIDATION_FAILED",
        "{\"retentionDays\":3651}|VALIDATION_FAILED",
        "{\"retentionDays\":2147483648}|VALIDATION_FAILED",
        "{\"retentionDays\":\"30\"}|VALIDATION_FAILED",
        "{\"retentionDays\":1.5}|VALIDATION_FAILED",
        "{\"retentionDays\":true}|VALIDATION_FAILED",
        "{\"retentionDays\":null}|VALIDATION_FAILED",
        "{}|VALIDATION_FAILED",
        "{\"retentionDays\":30,\"period\":1}|VALIDATION_FAILED",
        "{\"retentionDays\":30,\"retentionDays\":31}|BAD_REQUEST",
        "[30]|BAD_REQUEST",
        "{\"retentionDays\":|BAD_REQUEST",
      })
  void refusedRetentionIs400AndWritesNothing(String body, String code) {
    long project = Api.project();
    String path = "/api/v1/projects/" + project + "/retention";
    admin().body(Map.of("retentionDays", 9)).put(path).then().statusCode(200);
    long events = auditEvents(project);

    admin().body(body).put(path).then().statusCode(400).body("code", equalTo(code));

    assertThat(retentionDays(project)).isEqualTo(9);
    assertThat(auditEvents(project)).isEqualTo(events);
  }

  @Test
  void emptyBodyIs400AndWritesNothing() {
    long project = Api.project();
    long events = auditEvents(project);
    admin()
        .put("/api/v1/projects/" + project + "/retention")
        .then()
        .statusCode(400)
        .body("code", equalTo("VALIDATION_FAILED"));
    assertThat(retentionDays(project)).isNull();
    assertThat(auditEvents(project)).isEqualTo(events);
  }

  @Test
  void onlyAnAdminChangesRetention() {
    long project = Api.project();
    String path = "/api/v1/projects/" + project + "/retention";
    String token = Api.token(project, "read", "start");
    long events = auditEvents(project);

    Api.as(token)
        .body(Map.of("retentionDays", 30))
        .put(path)
        .then()
        .statusCode(403)
        .body("code", equalTo("FORBIDDEN"));
    Api.as(token).delete(path).then().statusCode(403).body("code", equalTo("FORBIDDEN"));
    Api.as(Api.token(Api.project(), "read"))
        .get(path)
        .then()
        .statusCode(403)
        .body("code", equalTo("PROJECT_ACCESS_DENIED"));

    assertThat(retentionDays(project)).isNull();
    assertThat(auditEvents(project)).isEqualTo(events);
  }

  @Test
  void unknownProjectIs404AndAuditsNothing() {
    long before = db.count("select count(*) from audit_event where action = 'project.retention'");
    String path = "/api/v1/projects/424242424242/retention";
    admin()
        .body(Map.of("retentionDays", 30))
        .put(path)
        .then()
        .statusCode(404)
        .body("code", equalTo("PROJECT_NOT_FOUND"));
    admin().delete(path).then().statusCode(404).body("code", equalTo("PROJECT_NOT_FOUND"));
    admin().get(path).then().statusCode(404).body("code", equalTo("PROJECT_NOT_FOUND"));
    assertThat(db.count("select count(*) from audit_event where action = 'project.retention'"))
        .isEqualTo(before);
  }

  private Integer retentionDays(long project) {
    long days =
        db.count("select coalesce(retention_days, -1) from project where code = $1", project);
    return days < 0 ? null : (int) days;
  }

  private long auditEvents(long project) {
    return db.count(
        "select count(*) from audit_event where subject = $1 and action = 'project.retention'",
        "project:" + project);
  }
}
