package io.flowgate.store;

import static io.flowgate.support.Api.startPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The batched writer has connections of its own: with every connection of the shared pool held,
 * starts still commit, while calls that need the shared pool get 503 STORE_UNAVAILABLE with
 * Retry-After (not a 500 and not a hang) once the bounded acquisition wait runs out.
 */
@QuarkusTest
@TestProfile(PoolIsolationTest.SmallSharedPool.class)
@WithTestResource(EmbeddedPostgresResource.class)
class PoolIsolationTest {

  private static final int SHARED_POOL = 4;

  /** A small shared pool with a short acquisition wait; definitions cached for the whole test. */
  public static class SmallSharedPool implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "flowgate.roles", "api",
          "flowgate.db.pool-size", String.valueOf(SHARED_POOL),
          "flowgate.db.acquire-timeout", "300ms",
          "flowgate.definition.cache-ttl", "1h");
    }
  }

  @Inject Pool shared;
  @Inject Db db;

  @Test
  void startsCommitWhileTheSharedPoolIsExhausted() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    long first =
        Api.admin()
            .post(startPath(project, workflow))
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("instanceId");
    String freshToken = Api.token(project, "read", "start");

    List<SqlConnection> held = holdAllSharedConnections();
    try {
      Api.admin()
          .header("Idempotency-Key", "while-exhausted")
          .post(startPath(project, workflow))
          .then()
          .statusCode(201);
      Api.admin()
          .get("/api/v1/instances/" + first)
          .then()
          .statusCode(503)
          .header("Retry-After", Integer::parseInt, greaterThan(0))
          .body("code", equalTo("STORE_UNAVAILABLE"));
      Api.as(freshToken)
          .header("Idempotency-Key", "fresh-token")
          .post(startPath(project, workflow))
          .then()
          .statusCode(503)
          .header("Retry-After", Integer::parseInt, greaterThan(0))
          .body("code", equalTo("STORE_UNAVAILABLE"));
    } finally {
      held.forEach(c -> c.close().await().atMost(Duration.ofSeconds(10)));
    }

    assertThat(db.instancesOf(project)).isEqualTo(2);
    assertThat(
            db.count(
                "select count(*) from workflow_instance where project_code = $1"
                    + " and idempotency_key = 'fresh-token'",
                project))
        .isZero();
    Api.admin().get("/api/v1/instances/" + first).then().statusCode(200);
  }

  private List<SqlConnection> holdAllSharedConnections() {
    List<SqlConnection> held = new ArrayList<>();
    for (int i = 0; i < SHARED_POOL; i++) {
      held.add(shared.getConnection().await().atMost(Duration.ofSeconds(10)));
    }
    return held;
  }
}
