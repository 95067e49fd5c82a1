package io.flowgate.api;

import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.flowgate.support.Fuzz;
import io.quarkus.logging.Log;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded fuzzing of both start endpoints: whatever the body and headers, the answer is never a 5xx,
 * every refusal carries its code, no internals leak, and every instance in the database is one the
 * fuzzer was told about. It runs the regression seed and a fresh one; {@code -Dfuzz.seed=<seed>}
 * replays a run and {@code -Dfuzz.tries=<n>} sets its length.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class StartFuzzTest {

  static final int TRIES = Integer.getInteger("fuzz.tries", 300);

  @Inject Db db;

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.flowgate.support.Fuzz#seeds")
  void noStartRequestGetsA5xxOrAnAnswerWithoutCode(long seed) {
    Log.infof("fuzzing the start endpoints with seed %d (replay: -Dfuzz.seed=%d)", seed, seed);
    Fuzz fuzz = new Fuzz(new Random(seed));
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    Set<Long> told = new HashSet<>();
    Map<String, Integer> outcomes = new TreeMap<>();

    for (int i = 0; i < TRIES; i++) {
      String what = "seed " + seed + ", try " + i;
      Outcome outcome =
          i % 3 == 2
              ? dolphinTry(fuzz, project, workflow, what)
              : nativeTry(fuzz, project, workflow, what);
      outcomes.merge(outcome.status() + " " + outcome.code(), 1, Integer::sum);
      if (outcome.instanceId() != null) {
        told.add(outcome.instanceId());
      }
      told.addAll(outcome.more());
    }
    Log.infof("fuzz outcomes (status code: count): %s", outcomes);

    // no instance the fuzzer was not told about, none it was told about missing
    assertThat(db.instancesOf(project)).as("seed %d", seed).isEqualTo(told.size());
    assertThat(told).as("seed %d: some starts succeed", seed).isNotEmpty();
  }

  /** What one try got: its status, its code (the DolphinScheduler one there), its instance. */
  record Outcome(int status, Object code, Long instanceId, java.util.List<Long> more) {
    Outcome(int status, Object code, Long instanceId) {
      this(status, code, instanceId, java.util.List.of());
    }
  }

  private Outcome nativeTry(Fuzz fuzz, long project, long workflow, String what) {
    String contentType = fuzz.contentType();
    RequestSpecification request =
        given()
            .config(HostileInputTest.AS_IS)
            .header("Authorization", "Bearer " + Api.ADMIN)
            .contentType(contentType);
    headers(fuzz, request);
    byte[] body = fuzz.oneIn(8) ? fuzz.bytes() : fuzz.startBody().getBytes(UTF_8);
    String shown = new String(body, ISO_8859_1);
    HostileInputTest.body(request, contentType, body);
    Response response = request.post(Api.startPath(project, workflow));

    JsonPath json = checked(response, what, shown);
    if (response.statusCode() >= 400) {
      assertThat(response.contentType())
          .as("%s: %s", what, shown)
          .startsWith("application/problem+json");
      assertThat(json.getString("code")).as("%s: %s", what, shown).isNotBlank();
      return new Outcome(response.statusCode(), json.getString("code"), null);
    }
    assertThat(response.statusCode()).as("%s: %s", what, shown).isIn(200, 201);
    return new Outcome(response.statusCode(), "-", json.getLong("instanceId"));
  }

  private Outcome dolphinTry(Fuzz fuzz, long project, long workflow, String what) {
    RequestSpecification request =
        given()
            .config(HostileInputTest.AS_IS)
            .header("token", Api.ADMIN)
            .contentType(HostileInputTest.FORM);
    headers(fuzz, request);
    String form = fuzz.form(workflow);
    HostileInputTest.body(request, HostileInputTest.FORM, form.getBytes(UTF_8));
    Response response =
        request.post("/dolphinscheduler/projects/" + project + "/executors/start-process-instance");

    JsonPath json = checked(response, what, form);
    // DS's transport: a refusal is HTTP 200 with a positive code (or 4xx before the resource)
    if (response.statusCode() >= 400 || json.getInt("code") != 0) {
      assertThat(json.getInt("code")).as("%s: %s", what, form).isPositive();
      assertThat(json.getBoolean("success")).isFalse();
      return new Outcome(response.statusCode(), json.getInt("code"), null);
    }
    assertThat(response.statusCode()).as("%s: %s", what, form).isEqualTo(200);
    // 3.1: the instance id, or the ids of a complement's dates
    Object data = json.get("data");
    if (data instanceof java.util.List<?> ids) {
      return new Outcome(200, 0, null, ids.stream().map(id -> ((Number) id).longValue()).toList());
    }
    return new Outcome(response.statusCode(), 0, json.getLong("data"));
  }

  private static void headers(Fuzz fuzz, RequestSpecification request) {
    String key = fuzz.idempotencyKey();
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    String traceparent = fuzz.traceparent();
    if (traceparent != null) {
      request.header("traceparent", traceparent);
    }
  }

  private static JsonPath checked(Response response, String what, String request) {
    String body = response.asString();
    assertThat(response.statusCode()).as("%s: %s -> %s", what, request, body).isLessThan(500);
    assertThat(body.toLowerCase(Locale.ROOT))
        .as("%s: %s", what, request)
        .doesNotContain(HostileInputTest.LEAKS);
    return new JsonPath(body);
  }
}
