package io.flowgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.engine.DagPlanner.NewTask;
import io.flowgate.engine.DagPlanner.Plan;
import io.flowgate.engine.DagPlanner.TaskState;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class DagPlannerTest {

  // a -> b, a -> c, b -> d, c -> d; c may retry once
  private static final Dag DIAMOND =
      Dag.parse(
          new JsonObject(
              """
              {"tasks":[{"code":"a","type":"NOOP"},{"code":"b","type":"NOOP"},
                        {"code":"c","type":"NOOP","retries":1,"retryDelaySeconds":5},
                        {"code":"d","type":"NOOP"},{"code":"x","type":"NOOP"}],
               "edges":[{"from":"a","to":"b"},{"from":"a","to":"c"},
                        {"from":"b","to":"d"},{"from":"c","to":"d"}]}
              """));

  private static List<String> codes(Plan plan) {
    return plan.dispatch().stream().map(t -> t.node().code() + ":" + t.attempt()).toList();
  }

  @Test
  void startsWithTheRoots() {
    assertThat(codes(DagPlanner.plan("RUNNING", "END", DIAMOND, List.of())))
        .containsExactly("a:1", "x:1");
  }

  @Test
  void aJoinWaitsForAllItsParents() {
    List<TaskState> tasks =
        List.of(
            new TaskState(1, "a", "SUCCESS", 1, 0),
            new TaskState(2, "x", "SUCCESS", 1, 0),
            new TaskState(3, "b", "SUCCESS", 1, 0),
            new TaskState(4, "c", "RUNNING", 1, 1));
    Plan plan = DagPlanner.plan("RUNNING", "END", DIAMOND, tasks);
    assertThat(plan.isEmpty()).isTrue();
  }

  @Test
  void aFailureWithRetriesLeftIsRetriedAfterTheDelay() {
    List<TaskState> tasks =
        List.of(
            new TaskState(1, "a", "SUCCESS", 1, 0),
            new TaskState(2, "x", "SUCCESS", 1, 0),
            new TaskState(3, "b", "SUCCESS", 1, 0),
            new TaskState(4, "c", "FAILURE", 1, 1));
    Plan plan = DagPlanner.plan("RUNNING", "END", DIAMOND, tasks);
    assertThat(plan.finalState()).isNull();
    NewTask retry = plan.dispatch().get(0);
    assertThat(codes(plan)).containsExactly("c:2");
    assertThat(retry.delaySeconds()).isEqualTo(5);
  }

  @Test
  void endStopsWhatRunsAtTheFirstFinalFailure() {
    List<TaskState> tasks =
        List.of(
            new TaskState(1, "a", "SUCCESS", 1, 0),
            new TaskState(2, "x", "RUNNING", 1, 0),
            new TaskState(3, "b", "FAILURE", 1, 0),
            new TaskState(4, "c", "RUNNING", 1, 1));
    Plan plan = DagPlanner.plan("RUNNING", "END", DIAMOND, tasks);
    assertThat(plan.finalState()).isEqualTo("FAILURE");
    assertThat(plan.stop()).containsExactlyInAnyOrder(2L, 4L);
    assertThat(plan.dispatch()).isEmpty();
  }

  @Test
  void continueRunsOtherBranchesThenFails() {
    List<TaskState> tasks =
        List.of(new TaskState(1, "a", "FAILURE", 1, 0), new TaskState(2, "x", "RUNNING", 1, 0));
    Plan running = DagPlanner.plan("RUNNING", "CONTINUE", DIAMOND, tasks);
    assertThat(running.finalState()).isNull();
    assertThat(running.dispatch()).isEmpty();
    List<TaskState> done =
        List.of(new TaskState(1, "a", "FAILURE", 1, 0), new TaskState(2, "x", "SUCCESS", 1, 0));
    assertThat(DagPlanner.plan("RUNNING", "CONTINUE", DIAMOND, done).finalState())
        .isEqualTo("FAILURE");
  }

  @Test
  void stoppingStopsActiveTasksAndEndsStopped() {
    List<TaskState> tasks =
        List.of(new TaskState(1, "a", "RUNNING", 1, 0), new TaskState(2, "x", "SUCCESS", 1, 0));
    Plan plan = DagPlanner.plan("STOPPING", "END", DIAMOND, tasks);
    assertThat(plan.stop()).containsExactly(1L);
    assertThat(plan.finalState()).isEqualTo("STOPPED");
  }
}
