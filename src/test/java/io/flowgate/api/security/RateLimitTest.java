package io.flowgate.api.security;

import static io.flowgate.support.Api.startPath;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.startsWith;

import com.github.benmanes.caffeine.cache.Ticker;
import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.flowgate.support.ManualTicker;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A token past its rate limit is refused with 429 RATE_LIMITED and Retry-After before admission:
 * nothing is written for it, and other tokens are not slowed. Time stands still unless a test moves
 * it (the buckets read the injected ticker), so no case depends on how fast the calls follow.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class RateLimitTest {

  private static final int BURST = 3;
  private static final int MAX_CALLS = 50;

  @Inject Db db;

  private final ManualTicker clock = new ManualTicker();
  long project;
  long workflow;

  @BeforeEach
  void setUp() {
    QuarkusMock.installMockForType(clock, Ticker.class);
    project = Api.project();
    workflow = Api.releasedWorkflow(project);
  }

  @Test
  void aTokenPastItsBurstGets429AndNothingIsWritten() {
    String limited = limitedToken(1, BURST);
    List<Response> answers = new ArrayList<>();
    // a full bucket serves the burst; at one permit a second the flood then meets a 429
    while (answers.size() < MAX_CALLS && answers.stream().noneMatch(r -> r.statusCode() == 429)) {
      answers.add(Api.as(limited).post(startPath(project, workflow)));
    }

    List<Integer> statuses = answers.stream().map(Response::statusCode).toList();
    assertThat(statuses.subList(0, BURST)).containsOnly(201);
    assertThat(statuses).containsOnly(201, 429).contains(429);
    Response refused = answers.get(answers.size() - 1);
    assertThat(refused.jsonPath().getString("code")).isEqualTo("RATE_LIMITED");
    assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
    assertThat(db.instancesOf(project)).isEqualTo(Collections.frequency(statuses, 201));
  }

  @Test
  void anotherTokenIsNotSlowedByTheFlood() {
    String limited = limitedToken(1, 1);
    String other = Api.token(project, "read", "start");
    Api.as(limited).post(startPath(project, workflow)).then().statusCode(201);
    Api.as(limited)
        .post(startPath(project, workflow))
        .then()
        .statusCode(429)
        .body("code", equalTo("RATE_LIMITED"));
    Api.as(other).post(startPath(project, workflow)).then().statusCode(201);
    assertThat(db.instancesOf(project)).isEqualTo(2);

    // one second later on the buckets' clock, the limited token has its permit again
    clock.advance(Duration.ofSeconds(1));
    Api.as(limited).post(startPath(project, workflow)).then().statusCode(201);
    assertThat(db.instancesOf(project)).isEqualTo(3);
  }

  @Test
  void everyCallSpendsThePermitsNotOnlyStarts() {
    String limited = limitedToken(1, 1);
    Api.as(limited).get("/api/v1/projects/" + project + "/workflows").then().statusCode(200);
    Api.as(limited)
        .post(startPath(project, workflow))
        .then()
        .statusCode(429)
        .body("code", equalTo("RATE_LIMITED"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void aBatchCostsOnePermitPerItem() {
    String limited = limitedToken(1, 5);
    batch(limited, 10)
        .then()
        .statusCode(429)
        .header("Retry-After", Integer::parseInt, greaterThan(0))
        .body("code", equalTo("RATE_LIMITED"));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void theDolphinSchedulerEndpointAnswers429InItsOwnShape() {
    String limited = limitedToken(1, 1);
    Api.as(limited).get("/api/v1/projects/" + project).then().statusCode(200);
    given()
        .header("token", limited)
        .formParam("processDefinitionCode", workflow)
        .formParam("failureStrategy", "END")
        .formParam("warningType", "NONE")
        .post("/dolphinscheduler/projects/" + project + "/executors/start-process-instance")
        .then()
        .statusCode(429)
        .header("Retry-After", Integer::parseInt, greaterThan(0))
        .body("success", equalTo(false))
        .body("msg", startsWith("RATE_LIMITED"));
    assertThat(db.instancesOf(project)).isZero();
  }

  private Response batch(String token, int items) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      list.add(Map.of("workflowCode", workflow));
    }
    return Api.as(token)
        .urlEncodingEnabled(false)
        .body(Map.of("items", list))
        .post("/api/v1/projects/" + project + "/instances:batch");
  }

  private String limitedToken(int perSecond, int burst) {
    return Api.admin()
        .body(
            Map.of(
                "name",
                "limited",
                "projects",
                List.of(project),
                "rateLimit",
                Map.of("perSecond", perSecond, "burst", burst)))
        .post("/api/v1/tokens")
        .then()
        .statusCode(201)
        .body("rateLimit.burst", equalTo(burst))
        .extract()
        .jsonPath()
        .getString("secret");
  }
}
