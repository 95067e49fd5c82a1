package io.flowgate.it;

import static io.flowgate.support.Api.admin;
import static io.flowgate.support.Api.startPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.support.Api;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as a person runs it: no database settings are given, so only its own main can
 * have started the embedded PostgreSQL the start below is committed to; then one start end to end
 * through every role (api, master, worker).
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedJarIT.JarSettings.class)
class PackagedJarIT {

  /** How long one NOOP instance may take from its start to SUCCESS on a busy machine. */
  static final Duration SUCCESS_WITHIN = Duration.ofSeconds(60);

  /** Only what the jar cannot know: the admin token; no database URL, so main embeds one. */
  public static class JarSettings implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      return Map.of("flowgate.admin-token", Api.ADMIN, "quarkus.shutdown.delay", "0s");
    }

    @Override
    public void stop() {}
  }

  @Test
  void aStartOnTheEmbeddedDatabaseReachesSuccess() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);

    Response started =
        admin().header("Idempotency-Key", "jar-1").post(startPath(project, workflow));
    started.then().statusCode(201);
    long instance = started.jsonPath().getLong("instanceId");

    await()
        .atMost(SUCCESS_WITHIN)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(
                        admin()
                            .get("/api/v1/instances/" + instance)
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getString("state"))
                    .isEqualTo("SUCCESS"));
  }
}
