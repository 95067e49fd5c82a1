package io.flowgate.engine;

import static io.flowgate.engine.EngineFlowTest.edge;
import static io.flowgate.engine.EngineFlowTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.support.Api;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker's report that stores the last unfinished task of an instance ends the instance in the
 * same transaction (the history rows of the task's result and of the instance's end share their
 * transaction id), exactly once, with the master's rules; anything with a next step still goes
 * through the master.
 */
@QuarkusTest
@TestProfile(EngineTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class FoldedCompletionTest {

  @Inject EngineDb db;

  // the transaction that wrote a history row: the task's attempt, or the instance's (task null)
  private String writtenBy(long instance, String task, Integer attempt, String state) {
    List<io.vertx.mutiny.sqlclient.Row> rows =
        db.rows(
            "select xmin::text as tx from instance_transition where instance_id = $1"
                + " and task_code is not distinct from $2 and attempt is not distinct from $3"
                + " and state = $4",
            instance,
            task,
            task == null ? null : attempt,
            state);
    assertThat(rows).as("%s:%s:%s in %s", task, attempt, state, db.history(instance)).hasSize(1);
    return rows.get(0).getString("tx");
  }

  private long terminalRows(long instance) {
    return db.rows(
            "select 1 from instance_transition where instance_id = $1 and task_code is null"
                + " and state in ('SUCCESS', 'FAILURE', 'STOPPED')",
            instance)
        .size();
  }

  @Test
  void aOneTaskInstanceEndsInItsWorkersReportWithOneTerminalRow() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project, List.of(task("only", "WAIT", Map.of("seconds", 0))), List.of());
    long id = db.start(project, workflow, "END");

    assertThat(db.awaitFinal(id)).isEqualTo("SUCCESS");
    assertThat(db.history(id)).endsWith("only:1:SUCCESS", "SUCCESS");
    assertThat(terminalRows(id)).isEqualTo(1);
    assertThat(writtenBy(id, null, null, "SUCCESS")).isEqualTo(writtenBy(id, "only", 1, "SUCCESS"));
    assertThat(db.rows("select 1 from task_instance where instance_id = $1 and not advanced", id))
        .isEmpty();
  }

  @Test
  void aChainStillAdvancesThroughTheMasterAndEndsInTheLastReport() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project,
            List.of(
                task("a", "WAIT", Map.of("seconds", 0)), task("b", "WAIT", Map.of("seconds", 0))),
            List.of(edge("a", "b")));
    long id = db.start(project, workflow, "END");

    assertThat(db.awaitFinal(id)).isEqualTo("SUCCESS");
    assertThat(db.history(id))
        .containsSubsequence("a:1:SUCCESS", "b:1:DISPATCHED", "b:1:SUCCESS", "SUCCESS");
    assertThat(terminalRows(id)).isEqualTo(1);
    // b was planned by the master after a's report, not in it
    assertThat(writtenBy(id, "b", 1, "DISPATCHED")).isNotEqualTo(writtenBy(id, "a", 1, "SUCCESS"));
    assertThat(writtenBy(id, null, null, "SUCCESS")).isEqualTo(writtenBy(id, "b", 1, "SUCCESS"));
  }

  @Test
  void aFailedLastTaskIsRetriedByTheMasterThenEndsTheInstanceAsFailed() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project,
            List.of(
                Map.of(
                    "code",
                    "refused",
                    "type",
                    "HTTP",
                    "retries",
                    1,
                    "retryDelaySeconds",
                    0,
                    "params",
                    Map.of("method", "GET", "url", "http://127.0.0.1:1/"))),
            List.of());
    long id = db.start(project, workflow, "END");

    assertThat(db.awaitFinal(id)).isEqualTo("FAILURE");
    assertThat(db.history(id))
        .containsSubsequence("refused:1:FAILURE", "refused:2:DISPATCHED", "refused:2:FAILURE")
        .endsWith("FAILURE");
    assertThat(terminalRows(id)).isEqualTo(1);
    // a failure with a retry left does not end the instance; the last one does, in its report
    assertThat(writtenBy(id, "refused", 2, "DISPATCHED"))
        .isNotEqualTo(writtenBy(id, "refused", 1, "FAILURE"));
    assertThat(writtenBy(id, null, null, "FAILURE"))
        .isEqualTo(writtenBy(id, "refused", 2, "FAILURE"));
  }

  @Test
  void continueEndsOnlyWhenTheOtherBranchHasFinished() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project,
            List.of(
                task("refused", "HTTP", Map.of("method", "GET", "url", "http://127.0.0.1:1/")),
                task("slow", "WAIT", Map.of("seconds", 2))),
            List.of());
    long id = db.start(project, workflow, "CONTINUE");

    assertThat(db.awaitFinal(id)).isEqualTo("FAILURE");
    assertThat(db.taskStates(id))
        .containsEntry("refused", "FAILURE")
        .containsEntry("slow", "SUCCESS");
    assertThat(terminalRows(id)).isEqualTo(1);
    assertThat(writtenBy(id, null, null, "FAILURE")).isEqualTo(writtenBy(id, "slow", 1, "SUCCESS"));
  }
}
