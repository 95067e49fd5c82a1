package io.flowgate.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An archive that cannot be written removes nothing: the rows stay and the failure is counted. */
@QuarkusTest
@TestProfile(S3UnreachableTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class S3ArchiveUnreachableTest {

  @Inject RetentionJob job;
  @Inject Db db;
  @Inject MeterRegistry registry;

  @Test
  void aFailingEndpointRemovesNothing() {
    RetentionFixtures fixtures = new RetentionFixtures(db);
    long project = Api.project();
    long noop = Api.releasedWorkflow(project);
    List<Long> due =
        List.of(fixtures.start(project, noop, "u-a"), fixtures.start(project, noop, "u-b"));
    due.forEach(id -> fixtures.awaitState(id, "SUCCESS"));
    due.forEach(id -> fixtures.endedHoursAgo(id, "SUCCESS", 8 * 24));
    long children = due.stream().mapToLong(fixtures::children).sum();
    double failuresBefore = counter("flowgate.retention.archive.failures");
    double removedBefore = removedInstances();

    // the tick fails (and is retried by the loop); it does not report a removal
    assertThatThrownBy(() -> job.tick().await().atMost(Duration.ofSeconds(60)))
        .isNotInstanceOf(io.smallrye.mutiny.TimeoutException.class);

    assertThat(due.stream().filter(fixtures::exists)).hasSize(2);
    assertThat(due.stream().mapToLong(fixtures::children).sum()).isEqualTo(children);
    assertThat(counter("flowgate.retention.archive.failures")).isEqualTo(failuresBefore + 1);
    assertThat(removedInstances()).isEqualTo(removedBefore);
  }

  // the metrics bean registers its meters when the job first uses it: absent means zero
  private double counter(String name) {
    Counter counter = registry.find(name).counter();
    return counter == null ? 0 : counter.count();
  }

  private double removedInstances() {
    Counter counter =
        registry.find("flowgate.retention.removed").tag("kind", "instances").counter();
    return counter == null ? 0 : counter.count();
  }
}
