package io.flowgate.definition;

import static io.flowgate.support.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class WorkflowResourceTest {

  @Inject Db db;

  @Test
  void workflowIsCreatedOfflineReadReleasedAndTakenOffline() {
    long project = Api.project();
    long code =
        Api.workflow(
            project,
            List.of(
                Map.of("code", "a", "type", "NOOP"),
                Map.of("code", "b", "type", "WAIT", "params", Map.of("seconds", 1))),
            List.of(Map.of("from", "a", "to", "b")));
    String path = "/api/v1/projects/" + project + "/workflows/" + code;
    admin()
        .get(path)
        .then()
        .statusCode(200)
        .body("releaseState", equalTo("OFFLINE"))
        .body("version", equalTo(1))
        .body("definition.tasks.size()", equalTo(2))
        .body("definition.edges[0].to", equalTo("b"));
    admin().post(path + "/release").then().statusCode(200).body("releaseState", equalTo("ONLINE"));
    admin().post(path + "/offline").then().statusCode(200).body("releaseState", equalTo("OFFLINE"));
    admin()
        .get("/api/v1/projects/" + project + "/workflows")
        .then()
        .statusCode(200)
        .body("size()", equalTo(1));
  }

  static Stream<Arguments> invalidDags() {
    Map<String, Object> a = Map.of("code", "a", "type", "NOOP");
    Map<String, Object> b = Map.of("code", "b", "type", "NOOP");
    return Stream.of(
        Arguments.of("duplicate code", List.of(a, a), List.of(), "'a'"),
        Arguments.of(
            "edge to missing task", List.of(a), List.of(Map.of("from", "a", "to", "zz")), "'zz'"),
        Arguments.of(
            "cycle",
            List.of(a, b),
            List.of(Map.of("from", "a", "to", "b"), Map.of("from", "b", "to", "a")),
            "cycle"),
        Arguments.of("self edge", List.of(a), List.of(Map.of("from", "a", "to", "a")), "'a'"),
        Arguments.of(
            "unknown type", List.of(Map.of("code", "s", "type", "SHELL")), List.of(), "'s'"),
        Arguments.of("bad code", List.of(Map.of("code", "a b", "type", "NOOP")), List.of(), "code"),
        Arguments.of(
            "wait without seconds", List.of(Map.of("code", "w", "type", "WAIT")), List.of(), "'w'"),
        Arguments.of(
            "http bad method",
            List.of(
                Map.of(
                    "code",
                    "h",
                    "type",
                    "HTTP",
                    "params",
                    Map.of("method", "FETCH", "url", "http://x"))),
            List.of(),
            "'h'"),
        Arguments.of(
            "http metadata host",
            List.of(
                Map.of(
                    "code",
                    "m",
                    "type",
                    "HTTP",
                    "params",
                    Map.of("method", "GET", "url", "http://169.254.169.254/latest"))),
            List.of(),
            "'m'"),
        Arguments.of(
            "http file scheme",
            List.of(
                Map.of(
                    "code",
                    "f",
                    "type",
                    "HTTP",
                    "params",
                    Map.of("method", "GET", "url", "file:///etc/passwd"))),
            List.of(),
            "'f'"),
        Arguments.of(
            "negative retries",
            List.of(Map.of("code", "r", "type", "NOOP", "retries", -1)),
            List.of(),
            "'r'"),
        Arguments.of("no tasks", List.of(), List.of(), "at least one task"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidDags")
  void invalidDagIs422NamingTheTaskAndWritesNothing(
      String what, List<Map<String, Object>> tasks, List<Map<String, String>> edges, String named) {
    long project = Api.project();
    admin()
        .body(Map.of("name", "bad", "tasks", tasks, "edges", edges))
        .post("/api/v1/projects/" + project + "/workflows")
        .then()
        .statusCode(422)
        .body("code", equalTo("INVALID_DAG"))
        .body("detail", containsString(named));
    assertThat(db.count("select count(*) from workflow where project_code = $1", project)).isZero();
  }

  @Test
  void duplicateWorkflowNameIs409() {
    long project = Api.project();
    Map<String, Object> body =
        Map.of("name", "same", "tasks", List.of(Map.of("code", "a", "type", "NOOP")));
    admin().body(body).post("/api/v1/projects/" + project + "/workflows").then().statusCode(201);
    admin()
        .body(body)
        .post("/api/v1/projects/" + project + "/workflows")
        .then()
        .statusCode(409)
        .body("code", equalTo("NAME_TAKEN"));
    assertThat(db.count("select count(*) from workflow where project_code = $1", project)).isOne();
  }

  @Test
  void projectTokenCannotCreateWorkflows() {
    long project = Api.project();
    Api.as(Api.token(project, "read", "start"))
        .body(Map.of("name", "x", "tasks", List.of(Map.of("code", "a", "type", "NOOP"))))
        .post("/api/v1/projects/" + project + "/workflows")
        .then()
        .statusCode(403)
        .body("code", equalTo("FORBIDDEN"));
    assertThat(db.count("select count(*) from workflow where project_code = $1", project)).isZero();
  }

  @Test
  void workflowInUnknownProjectIs404() {
    admin()
        .body(Map.of("name", "x", "tasks", List.of(Map.of("code", "a", "type", "NOOP"))))
        .post("/api/v1/projects/987654321/workflows")
        .then()
        .statusCode(404)
        .body("code", equalTo("PROJECT_NOT_FOUND"));
  }

  @Test
  void tokenSecretIsShownOnceAndRevocationTakesEffect() {
    long project = Api.project();
    var created =
        admin()
            .body(Map.of("name", "ci", "projects", List.of(project)))
            .post("/api/v1/tokens")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    String secret = created.getString("secret");
    long id = created.getLong("id");
    assertThat(
            db.count(
                "select count(*) from api_token where id = $1 and position($2 in encode(secret_hash, 'escape')) = 0",
                id,
                secret))
        .isOne();
    Api.as(secret).get("/api/v1/projects/" + project).then().statusCode(200);
    admin().delete("/api/v1/tokens/" + id).then().statusCode(204);
    Api.as(secret).get("/api/v1/projects/" + project + "/workflows").then().statusCode(401);
    admin().delete("/api/v1/tokens/" + id).then().statusCode(404);
  }
}
