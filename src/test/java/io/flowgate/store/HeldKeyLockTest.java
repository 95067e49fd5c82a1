package io.flowgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An idempotency key held by a transaction that never finishes (a replica that died between INSERT
 * and COMMIT) does not stall its batch: the writer's lock_timeout isolates the item whose key is
 * locked, its neighbours commit, the item is answered 503 naming its key, and a retry once the lock
 * is gone commits it exactly once.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class HeldKeyLockTest {

  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final String POISON = "held-key-5e2a";
  private static final int ITEMS = 8;

  @Inject Db db;
  @Inject Pool pool;

  @Test
  void aKeyLockedByAnUnfinishedTransactionIsIsolatedAndItsNeighboursCommit() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    SqlConnection holder = pool.getConnection().await().atMost(BOUND);
    Transaction held = holder.begin().await().atMost(BOUND);
    try {
      holder
          .preparedQuery(
              "insert into workflow_instance (project_code, workflow_code, workflow_version, state,"
                  + " priority, failure_strategy, idempotency_key, request_id, request_fingerprint)"
                  + " values ($1, $2, 1, 'SUBMITTED', 'MEDIUM', 'END', $3, $4, 'other')")
          .execute(Tuple.of(project, workflow, POISON, UUID.randomUUID()))
          .await()
          .atMost(BOUND);

      JsonPath results = batch(project, workflow);

      for (int i = 0; i < ITEMS; i++) {
        String at = "results[" + i + "].";
        if (i == ITEMS / 2) {
          assertThat(results.getInt(at + "status")).isEqualTo(503);
          assertThat(results.getString(at + "code")).isEqualTo("STORE_UNAVAILABLE");
          assertThat(results.getString(at + "idempotencyKey")).isEqualTo(POISON);
          assertThat(results.getLong(at + "retryAfter")).isPositive();
        } else {
          assertThat(results.getInt(at + "status")).as("item %d", i).isEqualTo(201);
        }
      }
    } finally {
      held.rollback().await().atMost(BOUND);
      holder.close().await().atMost(BOUND);
    }
    assertThat(db.instancesOf(project)).isEqualTo(ITEMS - 1);

    JsonPath retried = batch(project, workflow);
    for (int i = 0; i < ITEMS; i++) {
      assertThat(retried.getInt("results[" + i + "].status"))
          .as("item %d", i)
          .isEqualTo(i == ITEMS / 2 ? 201 : 200);
    }
    assertThat(db.instancesOf(project)).isEqualTo(ITEMS);
    assertThat(
            db.count("select count(*) from workflow_instance where idempotency_key = $1", POISON))
        .isOne();
  }

  private static JsonPath batch(long project, long workflow) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      items.add(
          Map.of("workflowCode", workflow, "idempotencyKey", i == ITEMS / 2 ? POISON : "n-" + i));
    }
    return Api.admin()
        .body(Map.of("items", items))
        .post("/api/v1/projects/" + project + "/instances:batch")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
