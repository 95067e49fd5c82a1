package io.flowgate.api;

import static io.flowgate.support.Api.startPath;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.support.Api;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every answer carries the security headers: successes and refusals alike, wherever refused. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class SecurityHeadersTest {

  private static final Map<String, String> HEADERS =
      Map.of(
          "X-Content-Type-Options", "nosniff",
          "X-Frame-Options", "DENY",
          "Cache-Control", "no-store",
          "Referrer-Policy", "no-referrer",
          "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");

  private static long project;
  private static long workflow;

  // made on first use, once the application (and its port) is up
  private static synchronized void fixtures() {
    if (project == 0) {
      project = Api.project();
      workflow = Api.releasedWorkflow(project);
    }
  }

  static Stream<Arguments> answers() {
    return Stream.of(
        answer("201 start", 201, () -> Api.admin().post(startPath(project, workflow))),
        answer(
            "201 start with neither body nor Content-Type",
            201,
            () ->
                given()
                    .noContentType()
                    .header("Authorization", "Bearer " + Api.ADMIN)
                    .post(startPath(project, workflow))),
        answer("400 bad body", 400, () -> Api.admin().body("{").post(startPath(project, workflow))),
        answer(
            "401 no token", 401, () -> given().noContentType().post(startPath(project, workflow))),
        answer(
            "404 unknown workflow", 404, () -> Api.admin().post(startPath(project, 999_999_999L))),
        answer("404 unknown path", 404, () -> Api.admin().get("/api/v1/nothing-here")),
        answer(
            "413 oversized body",
            413,
            () -> Api.admin().body("x".repeat(70_000)).post(startPath(project, workflow))),
        answer(
            "415 wrong type",
            415,
            () ->
                Api.admin().contentType("text/plain").body("x").post(startPath(project, workflow))),
        answer(
            "401 DolphinScheduler",
            401,
            () ->
                given()
                    .formParam("processDefinitionCode", workflow)
                    .post(
                        "/dolphinscheduler/projects/"
                            + project
                            + "/executors/start-process-instance")),
        answer("200 liveness", 200, () -> given().get("/q/health/live")));
  }

  private static Arguments answer(String name, int status, Supplier<Response> call) {
    return Arguments.of(name, status, call);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void carriesTheSecurityHeaders(String name, int status, Supplier<Response> call) {
    fixtures();
    Response response = call.get();
    assertThat(response.statusCode()).isEqualTo(status);
    HEADERS.forEach(
        (header, value) -> assertThat(response.header(header)).as(header).isEqualTo(value));
  }
}
