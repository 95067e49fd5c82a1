package io.flowgate.store;

import static io.flowgate.support.Api.admin;
import static io.flowgate.support.Api.startPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.flowgate.support.StalledBackend;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A commit that does not confirm within the store timeout (the writer's backend stalls) is answered
 * 503 OUTCOME_UNKNOWN, naming its Idempotency-Key even when the server generated it; once the store
 * goes on, a retry with that key gets the instance, and there is only one.
 */
@QuarkusTest
@TestProfile(StoreFaultTest.ShortStoreTimeout.class)
@WithTestResource(EmbeddedPostgresResource.class)
class StoreFaultTest {

  private static final String WRITER = "flowgate-writer-fault-test";

  /**
   * A commit timeout far below the request timeout, server-side retries as configured by default,
   * and a writer with a single connection that it gives up waiting for quickly: a retry after a
   * timed-out attempt then fails without touching the store, and the answer must still say that the
   * first attempt may commit. The writer's connection is named, so the test can stall its backend.
   */
  public static class ShortStoreTimeout implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "flowgate.store.commit-timeout", "300ms",
          "flowgate.store.max-in-flight", "1",
          "quarkus.datasource.\"writer\".reactive.max-size", "1",
          "quarkus.datasource.\"writer\".reactive.additional-properties.application_name", WRITER,
          "flowgate.db.acquire-timeout", "100ms",
          "flowgate.roles", "api");
    }
  }

  @Inject Db db;

  private long project;
  private long workflow;

  // the profile's 100 ms acquire timeout applies to the shared pool too: on a loaded machine the
  // set-up calls may meet it, which is not what this test is about, so they are retried
  @BeforeEach
  void releasedWorkflow() {
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () -> {
              project = Api.project();
              workflow = Api.releasedWorkflow(project);
              return true;
            });
    openTheWriterConnection(project, workflow);
  }

  @Test
  void unconfirmedCommitIsOutcomeUnknownAndRetryWithSameKeyResolvesIt() {
    try (StalledBackend stalled = StalledBackend.of(db, WRITER)) {
      admin()
          .header("Idempotency-Key", "maybe-1")
          .post(startPath(project, workflow))
          .then()
          .statusCode(503)
          .header("Retry-After", notNullValue())
          .header("Idempotency-Key", "maybe-1")
          .body("code", equalTo("OUTCOME_UNKNOWN"))
          .body("idempotencyKey", equalTo("maybe-1"));
    }
    // the insert that outlived its timeout commits once the backend goes on
    await().atMost(Duration.ofSeconds(20)).until(() -> keyed(project, "maybe-1") == 1);

    retryHonouringRetryAfter("maybe-1")
        .then()
        .statusCode(200)
        .body("replayed", equalTo(true))
        .body("idempotencyKey", equalTo("maybe-1"));
    assertThat(keyed(project, "maybe-1")).isOne();
  }

  @Test
  void keylessOutcomeUnknownNamesTheGeneratedKeyAndItsRetryReplays() {
    Response unknown;
    try (StalledBackend stalled = StalledBackend.of(db, WRITER)) {
      unknown = admin().post(startPath(project, workflow));
    }
    assertThat(unknown.statusCode()).isEqualTo(503);
    assertThat(unknown.jsonPath().getString("code")).isEqualTo("OUTCOME_UNKNOWN");
    String key = unknown.header("Idempotency-Key");
    assertThat(key).startsWith("gen-");
    assertThat(unknown.jsonPath().getString("idempotencyKey")).isEqualTo(key);
    await().atMost(Duration.ofSeconds(20)).until(() -> keyed(project, key) == 1);

    // at-least-once becomes exactly-once when the returned key is reused
    retryHonouringRetryAfter(key)
        .then()
        .statusCode(200)
        .body("replayed", equalTo(true))
        .body("idempotencyKey", startsWith("gen-"));
    assertThat(keyed(project, key)).isOne();
    assertThat(db.instancesOf(project)).as("the warm-up and the keyless start").isEqualTo(2);
  }

  // a client's retry: while the store recovers (the breaker may still be open after the stall) it
  // is answered 503 + Retry-After and tries again, until it gets a definitive answer
  private Response retryHonouringRetryAfter(String key) {
    Response[] last = new Response[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              last[0] = admin().header("Idempotency-Key", key).post(startPath(project, workflow));
              if (last[0].statusCode() == 503) {
                assertThat(last[0].header("Retry-After")).isNotNull();
                assertThat(last[0].jsonPath().getString("code"))
                    .isIn("STORE_UNAVAILABLE", "OUTCOME_UNKNOWN");
                return false;
              }
              return true;
            });
    return last[0];
  }

  // one start that commits, so the writer's single connection exists and can be stalled
  private static void openTheWriterConnection(long project, long workflow) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                admin()
                        .header("Idempotency-Key", "warm-up")
                        .post(startPath(project, workflow))
                        .statusCode()
                    < 300);
  }

  private long keyed(long project, String key) {
    return db.count(
        "select count(*) from workflow_instance where project_code = $1 and idempotency_key = $2",
        project,
        key);
  }
}
