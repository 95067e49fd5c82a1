package io.flowgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.support.Api;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A master that dies mid-run: its instances are taken over once its leases expire. */
@QuarkusTest
@TestProfile(EngineTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class TakeoverTest {

  @Inject MasterRole role;
  @Inject MasterFactory masters;
  @Inject EngineDb db;

  @Test
  void instancesOfADeadMasterAreTakenOverAndFinish() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project,
            List.of(
                Map.of("code", "first", "type", "WAIT", "params", Map.of("seconds", 3)),
                Map.of("code", "second", "type", "NOOP")),
            List.of(Map.of("from", "first", "to", "second")));
    role.master().stop();
    Master doomed = masters.create("doomed-master");
    List<Long> ids = new ArrayList<>();
    List<Long> unfinished = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        ids.add(db.start(project, workflow, "END"));
      }
      doomed.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  db.rows(
                              "select 1 from workflow_instance where project_code = $1"
                                  + " and lease_owner = 'doomed-master'",
                              project)
                          .size()
                      == ids.size());
    } finally {
      doomed.stop(); // dies: no release, its leases run out
      await().atMost(Duration.ofSeconds(30)).until(doomed::idle);
      for (long id : ids) {
        if (!EngineDb.FINAL.contains(db.state(id))) {
          unfinished.add(id);
        }
      }
      role.start();
    }

    assertThat(unfinished).isNotEmpty();
    for (long id : ids) {
      assertThat(db.awaitFinal(id)).isEqualTo("SUCCESS");
    }
    for (long id : unfinished) {
      assertThat(db.history(id)).containsSubsequence("RUNNING", "first:1:DISPATCHED", "RUNNING");
      String takeover =
          db.rows(
                  "select detail from instance_transition where instance_id = $1"
                      + " and task_code is null and attempt = 2",
                  id)
              .get(0)
              .getString("detail");
      assertThat(takeover).contains("from doomed-master").contains(ReplicaId.get());
    }
    assertThat(
            db.rows(
                "select 1 from workflow_instance where project_code = $1 and claim_count = 2"
                    + " and lease_owner = $2",
                project,
                ReplicaId.get()))
        .hasSize(unfinished.size());
  }
}
