package io.flowgate.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.engine.EngineDb;
import io.flowgate.engine.EngineTestProfile;
import io.flowgate.support.Api;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A worker that lost its task lease cannot record a result for that attempt any more. */
@QuarkusTest
@TestProfile(EngineTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class TaskLeaseTest {

  @Inject WorkerRole role;
  @Inject TaskRunner runner;
  @Inject Pool pool;
  @Inject EngineDb db;

  @Test
  void aTaskWhoseLeaseExpiredRunsAgainAndSucceedsOnce() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(project, List.of(Map.of("code", "only", "type", "NOOP")), List.of());
    TaskClaimer stale = new TaskClaimer("stale-worker", pool, Duration.ofMinutes(5));
    List<ClaimedTask> held = new ArrayList<>();
    role.worker().stop();
    long id;
    try {
      id = db.start(project, workflow, "END");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                stale.claim(10).await().atMost(Duration.ofSeconds(10)).stream()
                    .filter(t -> t.instanceId() == id)
                    .forEach(held::add);
                return !held.isEmpty();
              });
    } finally {
      role.start();
    }
    // the stale worker stalls past its lease: the reconciler dispatches the attempt again
    db.rows(
        "update task_instance set lease_expires_at = now() - interval '1 second'"
            + " where instance_id = $1",
        id);

    assertThat(db.awaitFinal(id)).isEqualTo("SUCCESS");
    runner.run(held.get(0), "stale-worker").await().atMost(Duration.ofSeconds(10));

    assertThat(db.history(id))
        .containsSubsequence(
            "only:1:RUNNING", "only:1:DISPATCHED", "only:1:RUNNING", "only:1:SUCCESS", "SUCCESS")
        .containsOnlyOnce("only:1:SUCCESS");
    assertThat(
            db.rows(
                "select 1 from instance_transition where instance_id = $1 and detail like"
                    + " 'worker lease expired%'",
                id))
        .hasSize(1);
  }
}
