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
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker loses the lease of a task it runs and claims the same attempt again: no slot of
 * max-concurrent is lost, and the attempt is reported once.
 */
@QuarkusTest
@TestProfile(EngineTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class SameWorkerReclaimTest {

  @Inject WorkerRole role;
  @Inject EngineDb db;

  @Test
  void aReclaimedTaskKeepsInFlightExact() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project,
            List.of(Map.of("code", "wait", "type", "WAIT", "params", Map.of("seconds", 3))),
            List.of());
    Worker worker = role.worker();
    long id = db.start(project, workflow, "END");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "RUNNING".equals(db.taskStates(id).get("wait")));
    // what the reconciler does when the lease ran out, and a prompt wake-up of the worker
    db.rows(
        "update task_instance set state = 'DISPATCHED', lease_owner = null,"
            + " lease_expires_at = null, not_before = now() where instance_id = $1",
        id);
    db.rows("notify flowgate_tasks");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> db.history(id).stream().filter("wait:1:RUNNING"::equals).count() == 2);

    assertThat(db.awaitFinal(id)).isEqualTo("SUCCESS");
    assertThat(db.history(id)).containsOnlyOnce("wait:1:SUCCESS");
    await().atMost(Duration.ofSeconds(10)).until(() -> worker.inFlight() == 0);
    assertThat(role.worker()).isSameAs(worker);
  }
}
