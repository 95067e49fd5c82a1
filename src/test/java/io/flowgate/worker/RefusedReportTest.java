package io.flowgate.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.engine.EngineDb;
import io.flowgate.engine.EngineTestProfile;
import io.flowgate.support.Api;
import io.flowgate.support.Db;
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
 * The store refuses a task's result report for a while: the worker retries it while it holds the
 * lease (or releases it for a re-run), and the instance still ends SUCCESS with one result.
 */
@QuarkusTest
@TestProfile(EngineTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class RefusedReportTest {

  @Inject Db db;
  @Inject EngineDb engine;

  @Test
  void aRefusedResultReportIsRetriedAndTheInstanceSucceeds() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project,
            List.of(Map.of("code", "wait", "type", "WAIT", "params", Map.of("seconds", 2))),
            List.of());
    long id = engine.start(project, workflow, "END");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "RUNNING".equals(engine.taskStates(id).get("wait")));
    // the result's history row is refused while the constraint exists (NOT VALID: old rows stay)
    db.execute(
        "alter table instance_transition add constraint refuse_report_"
            + id
            + " check (instance_id <> "
            + id
            + " or task_code is null or state <> 'SUCCESS') not valid");
    try {
      // the task ends after 2 s; its report is refused for about 4 s more
      await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(7)).until(() -> true);
      assertThat(engine.state(id)).isEqualTo("RUNNING");
    } finally {
      db.execute("alter table instance_transition drop constraint refuse_report_" + id);
    }

    assertThat(engine.awaitFinal(id)).isEqualTo("SUCCESS");
    assertThat(engine.history(id)).containsOnlyOnce("wait:1:SUCCESS").endsWith("SUCCESS");
    assertThat(engine.taskStates(id)).containsEntry("wait", "SUCCESS");
  }
}
