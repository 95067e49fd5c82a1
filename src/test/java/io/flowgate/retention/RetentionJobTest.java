package io.flowgate.retention;

import static io.flowgate.support.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention removes finished instances past their project's horizon with their tasks and history,
 * at most batch-size times max-batches-per-tick per tick, oldest first, and never an unfinished
 * one; it counts what it removed and how far it lags behind the horizon.
 */
@QuarkusTest
@TestProfile(RetentionTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class RetentionJobTest {

  private static final long DAY = 24;

  @Inject RetentionJob job;
  @Inject MeterRegistry registry;
  @Inject Db db;

  private RetentionFixtures fixtures;

  @BeforeEach
  void removeWhatEarlierTestsLeftPastTheHorizon() {
    fixtures = new RetentionFixtures(db);
    while (tick().instances() > 0) {
      // each tick removes at most four: drain until one removes nothing
    }
  }

  @Test
  void removesOnlyFinishedInstancesPastTheHorizonInBoundedBatches() {
    long project = Api.project();
    long noop = Api.releasedWorkflow(project);
    long waiting = RetentionFixtures.longWorkflow(project);
    List<Long> old = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      old.add(fixtures.start(project, noop, "old-" + i));
    }
    long recent = fixtures.start(project, noop, "recent");
    long running = fixtures.start(project, waiting, "running");
    old.forEach(id -> fixtures.awaitState(id, "SUCCESS"));
    fixtures.awaitState(recent, "SUCCESS");
    fixtures.awaitState(running, "RUNNING");
    List<String> states = List.of("SUCCESS", "FAILURE", "STOPPED", "SUCCESS", "FAILURE");
    for (int i = 0; i < old.size(); i++) {
      fixtures.endedHoursAgo(old.get(i), states.get(i), 7 * DAY + 1 + i);
    }
    fixtures.endedHoursAgo(recent, "SUCCESS", 7 * DAY - 1);
    // an unfinished instance with ancient timestamps: only its state keeps it
    db.execute(
        "update workflow_instance set created_at = now() - interval '30 days',"
            + " ended_at = now() - interval '30 days' where id = $1",
        running);
    long childrenOfOld = old.stream().mapToLong(fixtures::children).sum();
    double removedBefore = removed("instances");
    double tasksBefore = removed("tasks");
    double transitionsBefore = removed("transitions");

    RetentionJob.Tick first = tick();
    assertThat(first.batches()).isEqualTo(2);
    assertThat(first.instances()).isEqualTo(4);
    assertThat(first.tasks()).isEqualTo(4);
    // oldest first: the youngest of the five is left, an hour past its horizon
    assertThat(old.stream().filter(fixtures::exists)).containsExactly(old.get(0));
    assertThat(lag()).isCloseTo(3600, within(120.0));

    RetentionJob.Tick second = tick();
    assertThat(second.batches()).isEqualTo(1);
    assertThat(second.instances()).isEqualTo(1);
    assertThat(tick().instances()).isZero();
    assertThat(lag()).isZero();

    assertThat(old.stream().filter(fixtures::exists)).isEmpty();
    assertThat(old.stream().mapToLong(fixtures::children).sum()).isZero();
    assertThat(fixtures.exists(recent)).isTrue();
    assertThat(fixtures.children(recent)).isPositive();
    assertThat(fixtures.exists(running)).isTrue();
    assertThat(fixtures.children(running)).isPositive();
    assertThat(removed("instances") - removedBefore).isEqualTo(5);
    assertThat(removed("tasks") - tasksBefore).isEqualTo(5);
    assertThat(removed("tasks") - tasksBefore + removed("transitions") - transitionsBefore)
        .isEqualTo(childrenOfOld);
  }

  @Test
  void anEarlierComplementDateIsRemovedWhileTheDateAfterItIsKept() {
    long project = Api.project();
    long noop = Api.releasedWorkflow(project);
    long earlier = fixtures.start(project, noop, "date-1");
    long later = fixtures.start(project, noop, "date-2");
    fixtures.awaitState(earlier, "SUCCESS");
    fixtures.awaitState(later, "SUCCESS");
    // a serial complement: the later date ran after the earlier one, and ended within retention
    db.execute("update workflow_instance set run_after = $1 where id = $2", earlier, later);
    fixtures.endedHoursAgo(earlier, "SUCCESS", 7 * DAY + 1);
    fixtures.endedHoursAgo(later, "SUCCESS", 7 * DAY - 1);

    drain();

    assertThat(fixtures.exists(earlier)).isFalse();
    assertThat(fixtures.exists(later)).isTrue();
    assertThat(
            db.count(
                "select count(*) from workflow_instance where id = $1 and run_after is null",
                later))
        .isEqualTo(1);
  }

  @Test
  void aProjectsOwnRetentionOverridesTheDefault() {
    long kept = Api.project();
    long byDefault = Api.project();
    setRetention(kept, 9);
    long keptInstance = fixtures.start(kept, Api.releasedWorkflow(kept), "k");
    long defaultInstance = fixtures.start(byDefault, Api.releasedWorkflow(byDefault), "k");
    fixtures.awaitState(keptInstance, "SUCCESS");
    fixtures.awaitState(defaultInstance, "SUCCESS");
    fixtures.endedHoursAgo(keptInstance, "SUCCESS", 8 * DAY);
    fixtures.endedHoursAgo(defaultInstance, "SUCCESS", 8 * DAY);

    drain();
    assertThat(fixtures.exists(keptInstance)).isTrue();
    assertThat(fixtures.exists(defaultInstance)).isFalse();

    setRetention(kept, 7);
    drain();
    assertThat(fixtures.exists(keptInstance)).isFalse();
  }

  @Test
  void aKeyIsRecognisedUntilItsInstanceIsRemovedThenItStartsANewOne() {
    long project = Api.project();
    long noop = Api.releasedWorkflow(project);
    long inside = fixtures.start(project, noop, "inside");
    long outside = fixtures.start(project, noop, "outside");
    long reused = fixtures.start(project, noop, "reused");
    long unfinished =
        fixtures.start(project, RetentionFixtures.longWorkflow(project), "unfinished");
    fixtures.awaitState(inside, "SUCCESS");
    fixtures.awaitState(outside, "SUCCESS");
    fixtures.awaitState(reused, "SUCCESS");
    fixtures.awaitState(unfinished, "RUNNING");
    fixtures.endedHoursAgo(inside, "SUCCESS", 7 * DAY - 1);
    fixtures.endedHoursAgo(outside, "SUCCESS", 7 * DAY + 1);
    fixtures.endedHoursAgo(reused, "FAILURE", 7 * DAY + 1);
    // ancient timestamps on an unfinished instance: only its state keeps it and its key
    db.execute(
        "update workflow_instance set created_at = now() - interval '30 days',"
            + " ended_at = now() - interval '30 days' where id = $1",
        unfinished);

    drain();

    // an hour inside the window: the same request replays the same instance
    long replayed =
        retry(project, noop, "inside", "inside")
            .statusCode(200)
            .header("Idempotency-Replayed", "true")
            .body("replayed", org.hamcrest.Matchers.equalTo(true))
            .extract()
            .jsonPath()
            .getLong("instanceId");
    assertThat(replayed).isEqualTo(inside);
    // an unfinished instance is never removed, however old: its key still replays
    long stillThere =
        retry(project, RetentionFixtures.workflowOf(db, unfinished), "unfinished", "unfinished")
            .statusCode(200)
            .extract()
            .jsonPath()
            .getLong("instanceId");
    assertThat(stillThere).isEqualTo(unfinished);
    // past the window the key is free: the same request, or another one, is a new instance
    long again =
        retry(project, noop, "outside", "outside")
            .statusCode(201)
            .body("idempotencyKey", org.hamcrest.Matchers.equalTo("outside"))
            .extract()
            .jsonPath()
            .getLong("instanceId");
    assertThat(again).isNotEqualTo(outside);
    long other =
        retry(project, noop, "reused", "a different body")
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("instanceId");
    assertThat(other).isNotEqualTo(reused);
    assertThat(
            db.count(
                "select count(*) from workflow_instance where project_code = $1"
                    + " and idempotency_key in ('outside', 'reused')",
                project))
        .isEqualTo(2);
  }

  private io.restassured.response.ValidatableResponse retry(
      long project, long workflow, String key, String param) {
    return admin()
        .header("Idempotency-Key", key)
        .body(Map.of("params", Map.of("k", param)))
        .post(Api.startPath(project, workflow))
        .then();
  }

  private void setRetention(long project, int days) {
    admin()
        .body(Map.of("retentionDays", days))
        .put("/api/v1/projects/" + project + "/retention")
        .then()
        .statusCode(200);
  }

  private void drain() {
    while (tick().instances() > 0) {
      // until a tick removes nothing
    }
  }

  private RetentionJob.Tick tick() {
    return job.tick().await().atMost(Duration.ofSeconds(30));
  }

  private double removed(String kind) {
    return registry.find("flowgate.retention.removed").tag("kind", kind).counter().count();
  }

  private double lag() {
    return registry.find("flowgate.retention.lag.seconds").gauge().value();
  }
}
