package io.flowgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.observability.SpanNames;
import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code flowgate.master.inline-tasks} on, the master runs NOOP tasks in its own claim or
 * advance transaction: a NOOP-only instance is claimed, run and completed in one transaction (every
 * history row of that step shares the transaction's timestamp), while other task types still go to
 * a worker.
 */
@QuarkusTest
@TestProfile(InlineTaskTest.Inline.class)
@WithTestResource(EmbeddedPostgresResource.class)
class InlineTaskTest {

  /** The engine test settings with inline tasks on. */
  public static class Inline implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config = new HashMap<>(new EngineTestProfile().getConfigOverrides());
      config.put("flowgate.master.inline-tasks", "true");
      return config;
    }
  }

  @Inject Db db;
  @Inject EngineDb engine;
  @Inject InMemorySpanExporter spans;

  @Test
  void aNoopOnlyInstanceIsClaimedRunAndCompletedInOneTransaction() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project,
            List.of(
                Map.of("code", "a", "type", "NOOP"),
                Map.of("code", "b", "type", "NOOP"),
                Map.of("code", "c", "type", "NOOP")),
            List.of(Map.of("from", "a", "to", "b"), Map.of("from", "b", "to", "c")));
    long id = engine.start(project, workflow, "END");

    assertThat(engine.awaitFinal(id)).isEqualTo("SUCCESS");
    assertThat(engine.history(id))
        .containsSubsequence(
            "RUNNING",
            "a:1:DISPATCHED",
            "a:1:RUNNING",
            "a:1:SUCCESS",
            "b:1:DISPATCHED",
            "b:1:RUNNING",
            "b:1:SUCCESS",
            "c:1:DISPATCHED",
            "c:1:RUNNING",
            "c:1:SUCCESS",
            "SUCCESS");
    // now() is the transaction's start: the claim and everything after it share one
    assertThat(
            engine.rows(
                "select distinct at from instance_transition where instance_id = $1"
                    + " and state <> 'SUBMITTED'",
                id))
        .hasSize(1);
    assertThat(
            engine.rows(
                "select 1 from task_instance where instance_id = $1 and (state <> 'SUCCESS'"
                    + " or not advanced or lease_owner is not null or started_at is null)",
                id))
        .isEmpty();
    assertThat(
            engine.rows(
                "select 1 from instance_transition where instance_id = $1"
                    + " and detail like 'running on %'",
                id))
        .isEmpty();
    // the trace still shows every task's execution, recorded by the master after its commit
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(spansOf(id, SpanNames.TASK_EXECUTE))
                    .extracting(s -> s.getAttributes().get(SpanNames.OUTCOME))
                    .containsExactlyInAnyOrder(
                        "inline SUCCESS, attempt 1",
                        "inline SUCCESS, attempt 1",
                        "inline SUCCESS, attempt 1"));
    assertThat(spansOf(id, SpanNames.TASK_DISPATCH)).isEmpty();
  }

  private List<SpanData> spansOf(long instance, String name) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .filter(s -> Long.valueOf(instance).equals(s.getAttributes().get(SpanNames.INSTANCE)))
        .toList();
  }

  @Test
  void aNoopWithBadParamsFailsInlineAfterItsRetries() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    db.execute(
        "update workflow_version set dag = $2 where workflow_code = $1",
        workflow,
        new JsonObject(
            """
        {"tasks":[{"code":"odd","type":"NOOP","retries":1,"params":{"x":1}}],"edges":[]}
        """));
    long id = engine.start(project, workflow, "END");

    assertThat(engine.awaitFinal(id)).isEqualTo("FAILURE");
    assertThat(engine.history(id))
        .containsSubsequence("odd:1:FAILURE", "odd:2:DISPATCHED", "odd:2:FAILURE", "FAILURE");
    assertThat(engine.error(id, "odd", 2)).isEqualTo("bad task params: NOOP takes no params");
  }

  @Test
  void otherTaskTypesStillRunOnAWorkerBetweenInlineSteps() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project,
            List.of(
                Map.of("code", "first", "type", "NOOP"),
                Map.of("code", "pause", "type", "WAIT", "params", Map.of("seconds", 0)),
                Map.of("code", "last", "type", "NOOP")),
            List.of(Map.of("from", "first", "to", "pause"), Map.of("from", "pause", "to", "last")));
    long id = engine.start(project, workflow, "END");

    assertThat(engine.awaitFinal(id)).isEqualTo("SUCCESS");
    assertThat(engine.history(id))
        .containsSubsequence(
            "first:1:SUCCESS",
            "pause:1:DISPATCHED",
            "pause:1:RUNNING",
            "pause:1:SUCCESS",
            "last:1:DISPATCHED",
            "last:1:SUCCESS",
            "SUCCESS");
    assertThat(
            engine.rows(
                "select task_code from instance_transition where instance_id = $1"
                    + " and detail like 'running on %'",
                id))
        .singleElement()
        .satisfies(r -> assertThat(r.getString("task_code")).isEqualTo("pause"));
  }
}
