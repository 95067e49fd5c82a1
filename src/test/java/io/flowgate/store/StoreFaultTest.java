package io.flowgate.store;

import static io.flowgate.support.Api.admin;
import static io.flowgate.support.Api.startPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A commit that does not confirm within the store timeout is answered 503 OUTCOME_UNKNOWN; once the
 * store catches up, a retry with the same key gets the instance, and there is only one.
 */
@QuarkusTest
@TestProfile(StoreFaultTest.ShortStoreTimeout.class)
@WithTestResource(EmbeddedPostgresResource.class)
class StoreFaultTest {

  /**
   * A commit timeout far below the request timeout, server-side retries as configured by default,
   * and a writer with a single connection that it gives up waiting for quickly: a retry after a
   * timed-out attempt then fails without touching the store, and the answer must still say that the
   * first attempt may commit.
   */
  public static class ShortStoreTimeout implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "flowgate.store.commit-timeout", "300ms",
          "flowgate.store.max-in-flight", "1",
          "quarkus.datasource.\"writer\".reactive.max-size", "1",
          "flowgate.db.acquire-timeout", "100ms",
          "flowgate.roles", "api");
    }
  }

  @Inject Db db;
  @Inject Pool pool;

  @Test
  void unconfirmedCommitIsOutcomeUnknownAndRetryWithSameKeyResolvesIt() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    Duration bound = Duration.ofSeconds(10);
    SqlConnection holder = pool.getConnection().await().atMost(bound);
    Transaction lock = holder.begin().await().atMost(bound);
    holder
        .preparedQuery("select code from project where code = $1 for update")
        .execute(Tuple.of(project))
        .await()
        .atMost(bound);

    admin()
        .header("Idempotency-Key", "maybe-1")
        .post(startPath(project, workflow))
        .then()
        .statusCode(503)
        .header("Retry-After", notNullValue())
        .body("code", equalTo("OUTCOME_UNKNOWN"));

    lock.commit().await().atMost(bound);
    holder.close().await().atMost(bound);
    // the insert that outlived its timeout commits once the lock is gone
    await().atMost(Duration.ofSeconds(20)).until(() -> db.instancesOf(project) == 1);

    admin()
        .header("Idempotency-Key", "maybe-1")
        .post(startPath(project, workflow))
        .then()
        .statusCode(200)
        .body("replayed", equalTo(true))
        .body("idempotencyKey", equalTo("maybe-1"));
    assertThat(db.instancesOf(project)).isOne();
  }
}
