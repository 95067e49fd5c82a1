package io.flowgate.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test fixtures made through the public API, as a client would. */
public final class Api {

  public static final String ADMIN = "test-admin-token";

  private Api() {}

  public static RequestSpecification admin() {
    return given().header("Authorization", "Bearer " + ADMIN).contentType(ContentType.JSON);
  }

  public static RequestSpecification as(String token) {
    return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
  }

  public static long project() {
    return admin()
        .body(Map.of("name", "p-" + UUID.randomUUID().toString().substring(0, 12)))
        .post("/api/v1/projects")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath()
        .getLong("code");
  }

  /** A released one-task NOOP workflow in the project. */
  public static long releasedWorkflow(long project) {
    return releasedWorkflow(project, List.of(Map.of("code", "only", "type", "NOOP")), List.of());
  }

  public static long releasedWorkflow(
      long project, List<Map<String, Object>> tasks, List<Map<String, String>> edges) {
    long code = workflow(project, tasks, edges);
    admin()
        .post("/api/v1/projects/" + project + "/workflows/" + code + "/release")
        .then()
        .statusCode(200);
    return code;
  }

  public static long workflow(
      long project, List<Map<String, Object>> tasks, List<Map<String, String>> edges) {
    return admin()
        .body(
            Map.of(
                "name",
                "w-" + UUID.randomUUID().toString().substring(0, 12),
                "tasks",
                tasks,
                "edges",
                edges))
        .post("/api/v1/projects/" + project + "/workflows")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath()
        .getLong("code");
  }

  /** A token scoped to the project with the given scopes; returns its secret. */
  public static String token(long project, String... scopes) {
    return admin()
        .body(Map.of("name", "t", "projects", List.of(project), "scopes", List.of(scopes)))
        .post("/api/v1/tokens")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath()
        .getString("secret");
  }

  public static String startPath(long project, long workflow) {
    return "/api/v1/projects/" + project + "/workflows/" + workflow + "/instances";
  }
}
