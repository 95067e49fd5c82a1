package io.flowgate.dolphinscheduler;

import static io.flowgate.dolphinscheduler.DsClient.minimal;
import static io.flowgate.dolphinscheduler.DsClient.postForm;
import static io.flowgate.dolphinscheduler.DsClient.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * startNodeList with taskDependType on a → b → c runs exactly the subset DS runs
 * (DagHelper.generateFlowNodeListByStartNode): TASK_ONLY the node, TASK_PRE it and its ancestors,
 * TASK_POST (the default, Command.java 3.2.2 line 65) it and its descendants. Proven by the task
 * instances the engine created once the instance succeeded.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class DsStartFromNodeTest {

  @Inject Db db;

  long project;
  long workflow;
  String token;

  @BeforeEach
  void setUp() {
    project = Api.project();
    workflow =
        Api.releasedWorkflow(
            project,
            List.of(
                Map.of("code", "a", "type", "NOOP"),
                Map.of("code", "b", "type", "NOOP"),
                Map.of("code", "c", "type", "NOOP")),
            List.of(Map.of("from", "a", "to", "b"), Map.of("from", "b", "to", "c")));
    token = Api.token(project, "read", "start");
  }

  @ParameterizedTest(name = "{0} from b runs {1}")
  @CsvSource({"TASK_ONLY,b", "TASK_PRE,a b", "TASK_POST,b c", "'',b c"})
  void onlyTheSubsetRuns(String dependType, String expected) {
    Map<String, Object> form = with(minimal(workflow), "startNodeList", "b");
    form = with(form, "taskDependType", dependType);
    long id =
        postForm(token, project, form)
            .then()
            .statusCode(200)
            .body("code", equalTo(0))
            .extract()
            .jsonPath()
            .getLong("data");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                db.count(
                        "select count(*) from workflow_instance where id = $1 and state = 'SUCCESS'",
                        id)
                    == 1);
    assertThat(
            db.column(
                "select task_code from task_instance where instance_id = $1 order by task_code",
                id))
        .containsExactly((Object[]) expected.split(" "));
  }
}
