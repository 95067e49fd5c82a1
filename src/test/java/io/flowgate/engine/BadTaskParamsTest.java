package io.flowgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A stored definition whose task params are bad (written past the API's validation) fails those
 * tasks with a clear error in the history; the master and workers go on.
 */
@QuarkusTest
@TestProfile(EngineTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class BadTaskParamsTest {

  @Inject Db db;
  @Inject EngineDb engine;

  @Test
  void badParamsFailTheTaskNotTheLoops() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    db.execute(
        "update workflow_version set dag = $2 where workflow_code = $1",
        workflow,
        new JsonObject(
            """
        {"tasks":[
          {"code":"metadata","type":"HTTP","params":{"method":"GET","url":"http://169.254.169.254/latest"}},
          {"code":"brew","type":"HTTP","params":{"method":"BREW","url":"http://127.0.0.1:1/"}},
          {"code":"noUrl","type":"HTTP","params":{"method":"GET","url":"not a url"}},
          {"code":"shell","type":"SHELL","params":{"cmd":"rm -rf /"}},
          {"code":"waitText","type":"WAIT","params":{"seconds":"ten"}},
          {"code":"fine","type":"NOOP"}],
         "edges":[]}
        """));
    long bad = engine.start(project, workflow, "CONTINUE");

    assertThat(engine.awaitFinal(bad)).isEqualTo("FAILURE");
    assertThat(engine.taskStates(bad))
        .containsEntry("fine", "SUCCESS")
        .containsEntry("metadata", "FAILURE")
        .containsEntry("brew", "FAILURE")
        .containsEntry("shell", "FAILURE");
    assertThat(detail(bad, "metadata")).contains("link-local or a metadata address");
    assertThat(detail(bad, "brew")).contains("HTTP method must be one of");
    assertThat(detail(bad, "noUrl")).startsWith("bad task params: HTTP");
    assertThat(detail(bad, "shell")).contains("unknown task type 'SHELL'");
    assertThat(detail(bad, "waitText")).contains("WAIT takes exactly {seconds: integer}");

    long broken = Api.releasedWorkflow(project);
    db.execute(
        "update workflow_version set dag = $2 where workflow_code = $1",
        broken,
        new JsonObject().put("tasks", "not a list"));
    // written past the API, which refuses to start a workflow whose definition it cannot read
    long unreadable =
        engine
            .rows(
                "insert into workflow_instance (project_code, workflow_code, workflow_version,"
                    + " state, priority, failure_strategy, idempotency_key, request_id,"
                    + " request_fingerprint) values ($1, $2, 1, 'SUBMITTED', 'MEDIUM', 'END',"
                    + " 'unreadable', gen_random_uuid(), 'x') returning id",
                project,
                broken)
            .get(0)
            .getLong("id");
    assertThat(engine.awaitFinal(unreadable)).isEqualTo("FAILURE");
    assertThat(engine.history(unreadable)).endsWith("FAILURE");

    long good = engine.start(project, Api.releasedWorkflow(project), "END");
    assertThat(engine.awaitFinal(good)).isEqualTo("SUCCESS");
  }

  private String detail(long instance, String task) {
    return engine
        .rows(
            "select detail from instance_transition where instance_id = $1 and task_code = $2"
                + " and state = 'FAILURE'",
            instance,
            task)
        .get(0)
        .getString("detail");
  }
}
