package io.flowgate.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.config.EngineConfig;
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
 * SIGTERM drains a worker: it claims nothing more, the task it runs finishes and is reported once
 * within the drain period, and nothing is run a second time elsewhere.
 */
@QuarkusTest
@TestProfile(EngineTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class WorkerDrainTest {

  @Inject WorkerRole role;
  @Inject WorkerFactory workers;
  @Inject EngineConfig config;
  @Inject EngineDb db;

  @Test
  void aDrainingWorkerFinishesItsRunningTaskOnce() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project,
            List.of(Map.of("code", "wait", "type", "WAIT", "params", Map.of("seconds", 3))),
            List.of());
    role.worker().stop();
    Worker leaving = workers.create("leaving-worker");
    long id;
    try {
      leaving.start();
      id = db.start(project, workflow, "END");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  !db.rows(
                          "select 1 from task_instance where instance_id = $1"
                              + " and state = 'RUNNING' and lease_owner = 'leaving-worker'",
                          id)
                      .isEmpty());
      long began = System.nanoTime();
      role.drain(leaving); // what the shutdown observer does on SIGTERM
      Duration took = Duration.ofNanos(System.nanoTime() - began);

      assertThat(took).isLessThan(config.worker().drainPeriod());
      assertThat(leaving.inFlight()).isZero();
      assertThat(db.taskStates(id)).containsEntry("wait", "SUCCESS");
    } finally {
      leaving.stop();
      role.start();
    }

    assertThat(db.awaitFinal(id)).isEqualTo("SUCCESS");
    assertThat(db.history(id))
        .containsOnlyOnce("wait:1:DISPATCHED", "wait:1:RUNNING", "wait:1:SUCCESS");
  }
}
