package io.flowgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.engine.DagPlanner.Attempt;
import io.flowgate.engine.DagPlanner.NewTask;
import io.flowgate.engine.DagPlanner.Plan;
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
    assertThat(codes(DagPlanner.plan(InstanceState.RUNNING, "END", DIAMOND, List.of())))
        .containsExactly("a:1", "x:1");
  }

  @Test
  void aJoinWaitsForAllItsParents() {
    List<Attempt> tasks =
        List.of(
            new Attempt(1, "a", TaskState.SUCCESS, 1, 0),
            new Attempt(2, "x", TaskState.SUCCESS, 1, 0),
            new Attempt(3, "b", TaskState.SUCCESS, 1, 0),
            new Attempt(4, "c", TaskState.RUNNING, 1, 1));
    Plan plan = DagPlanner.plan(InstanceState.RUNNING, "END", DIAMOND, tasks);
    assertThat(plan.isEmpty()).isTrue();
  }

  @Test
  void aFailureWithRetriesLeftIsRetriedAfterTheDelay() {
    List<Attempt> tasks =
        List.of(
            new Attempt(1, "a", TaskState.SUCCESS, 1, 0),
            new Attempt(2, "x", TaskState.SUCCESS, 1, 0),
            new Attempt(3, "b", TaskState.SUCCESS, 1, 0),
            new Attempt(4, "c", TaskState.FAILURE, 1, 1));
    Plan plan = DagPlanner.plan(InstanceState.RUNNING, "END", DIAMOND, tasks);
    assertThat(plan.finalState()).isNull();
    NewTask retry = plan.dispatch().get(0);
    assertThat(codes(plan)).containsExactly("c:2");
    assertThat(retry.delaySeconds()).isEqualTo(5);
  }

  @Test
  void endStopsWhatRunsAtTheFirstFinalFailure() {
    List<Attempt> tasks =
        List.of(
            new Attempt(1, "a", TaskState.SUCCESS, 1, 0),
            new Attempt(2, "x", TaskState.RUNNING, 1, 0),
            new Attempt(3, "b", TaskState.FAILURE, 1, 0),
            new Attempt(4, "c", TaskState.RUNNING, 1, 1));
    Plan plan = DagPlanner.plan(InstanceState.RUNNING, "END", DIAMOND, tasks);
    assertThat(plan.finalState()).isEqualTo(InstanceState.FAILURE);
    assertThat(plan.stop()).containsExactlyInAnyOrder(2L, 4L);
    assertThat(plan.dispatch()).isEmpty();
  }

  @Test
  void continueRunsOtherBranchesThenFails() {
    List<Attempt> tasks =
        List.of(
            new Attempt(1, "a", TaskState.FAILURE, 1, 0),
            new Attempt(2, "x", TaskState.RUNNING, 1, 0));
    Plan running = DagPlanner.plan(InstanceState.RUNNING, "CONTINUE", DIAMOND, tasks);
    assertThat(running.finalState()).isNull();
    assertThat(running.dispatch()).isEmpty();
    List<Attempt> done =
        List.of(
            new Attempt(1, "a", TaskState.FAILURE, 1, 0),
            new Attempt(2, "x", TaskState.SUCCESS, 1, 0));
    assertThat(DagPlanner.plan(InstanceState.RUNNING, "CONTINUE", DIAMOND, done).finalState())
        .isEqualTo(InstanceState.FAILURE);
  }

  @Test
  void stoppingStopsActiveTasksAndEndsStopped() {
    List<Attempt> tasks =
        List.of(
            new Attempt(1, "a", TaskState.RUNNING, 1, 0),
            new Attempt(2, "x", TaskState.SUCCESS, 1, 0));
    Plan plan = DagPlanner.plan(InstanceState.STOPPING, "END", DIAMOND, tasks);
    assertThat(plan.stop()).containsExactly(1L);
    assertThat(plan.finalState()).isEqualTo(InstanceState.STOPPED);
  }
}
