package io.flowgate.observability;

import static io.flowgate.observability.BacklogHighWaterProfile.HIGH_WATER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Backpressure from the engine's backlog: with more SUBMITTED instances than the high-water mark, a
 * start is answered 429 ADMISSION_QUEUE_FULL + Retry-After and writes nothing; once the backlog is
 * back under the mark, starts are admitted again.
 */
@QuarkusTest
@TestProfile(BacklogHighWaterProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class BacklogHighWaterTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PREFIX = "backlog-hw-";

  @Inject Db db;
  @Inject SubmittedBacklog backlog;

  @Test
  void aBacklogOverTheMarkRefusesStartsAndWritesNothingAndUnderItAdmits() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    long before = db.count("select count(*) from workflow_instance where state = 'SUBMITTED'");
    assertThat(before).as("other tests' backlog stays under the mark").isLessThan(HIGH_WATER);
    long instances = db.instancesOf(project);
    // the master role is off: these stay SUBMITTED, a backlog one past the mark
    db.execute(
        "insert into workflow_instance (project_code, workflow_code, workflow_version, state,"
            + " priority, failure_strategy, idempotency_key, request_id, request_fingerprint)"
            + " select $1, $2, 1, 'SUBMITTED', 'MEDIUM', 'END', $3 || g, gen_random_uuid(), 'f'"
            + " from generate_series(1, $4) g",
        project,
        workflow,
        PREFIX,
        (int) (HIGH_WATER + 1 - before));
    try {
      assertThat(backlog.refresh().await().atMost(WAIT)).isEqualTo(HIGH_WATER + 1L);

      Api.admin()
          .header("Idempotency-Key", "over-the-mark")
          .body(Map.of())
          .post(Api.startPath(project, workflow))
          .then()
          .statusCode(429)
          .header("Retry-After", equalTo("3600"))
          .body("code", equalTo("ADMISSION_QUEUE_FULL"))
          .body("idempotencyKey", equalTo("over-the-mark"));
      assertThat(db.instancesOf(project)).isEqualTo(instances + HIGH_WATER + 1 - before);
      assertThat(
              db.count(
                  "select count(*) from workflow_instance where idempotency_key = $1",
                  "over-the-mark"))
          .isZero();

      db.execute("delete from workflow_instance where idempotency_key like $1", PREFIX + "%");
      assertThat(backlog.refresh().await().atMost(WAIT)).isLessThanOrEqualTo(HIGH_WATER);
      Api.admin()
          .header("Idempotency-Key", "under-the-mark")
          .body(Map.of())
          .post(Api.startPath(project, workflow))
          .then()
          .statusCode(201)
          .body("instanceId", notNullValue());
      assertThat(db.instancesOf(project)).isEqualTo(instances + 1);
    } finally {
      db.execute("delete from workflow_instance where idempotency_key like $1", PREFIX + "%");
      backlog.refresh().await().atMost(WAIT);
    }
  }
}
