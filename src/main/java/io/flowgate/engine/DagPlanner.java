package io.flowgate.engine;

import io.flowgate.store.FailureStrategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, from an instance's DAG and the current state of its tasks, what comes next: tasks to
 * dispatch (ready nodes and retries), tasks to stop, and the instance's final state if it is done.
 * Pure: the same input always gives the same plan.
 */
public final class DagPlanner {

  /** One task attempt as stored. */
  public record Attempt(long id, String code, TaskState state, int attempt, int maxRetries) {}

  /** A task attempt to create DISPATCHED. */
  public record NewTask(Dag.Node node, int attempt, int delaySeconds) {}

  /**
   * What to do; {@code finalState} is null while the instance goes on. When it is set, every active
   * task of the instance is stopped with it (see {@link PlanWriter}).
   */
  public record Plan(
      List<NewTask> dispatch, List<Long> stop, InstanceState finalState, String reason) {
    public boolean isEmpty() {
      return dispatch.isEmpty() && stop.isEmpty() && finalState == null;
    }
  }

  private DagPlanner() {}

  /** An instance whose stored definition is missing or cannot be parsed: its own fault. */
  public static Plan badDefinition(Throwable cause) {
    return new Plan(
        List.of(), List.of(), InstanceState.FAILURE, "workflow definition unusable: " + cause);
  }

  public static Plan plan(
      InstanceState instanceState, String failureStrategy, Dag dag, List<Attempt> tasks) {
    Map<String, Attempt> latest = new HashMap<>();
    for (Attempt t : tasks) {
      latest.merge(t.code(), t, (a, b) -> a.attempt() >= b.attempt() ? a : b);
    }
    List<Long> active = new ArrayList<>();
    latest.values().stream().filter(t -> t.state().isActive()).forEach(t -> active.add(t.id()));
    if (instanceState == InstanceState.STOPPING) {
      return new Plan(List.of(), active, InstanceState.STOPPED, "instance stopped");
    }
    List<NewTask> dispatch = new ArrayList<>();
    boolean failed = false;
    for (Attempt t : latest.values()) {
      if (t.state() == TaskState.FAILURE && t.attempt() <= t.maxRetries()) {
        Dag.Node node = dag.nodes().get(t.code());
        if (node != null) {
          dispatch.add(new NewTask(node, t.attempt() + 1, node.retryDelaySeconds()));
          continue;
        }
      }
      failed |= t.state() == TaskState.FAILURE || t.state() == TaskState.STOPPED;
    }
    if (failed && FailureStrategy.END.name().equals(failureStrategy)) {
      return new Plan(
          List.of(), active, InstanceState.FAILURE, "a task failed; failure strategy END");
    }
    for (Dag.Node node : dag.nodes().values()) {
      if (!latest.containsKey(node.code()) && parentsSucceeded(dag, node.code(), latest)) {
        dispatch.add(new NewTask(node, 1, 0));
      }
    }
    if (dispatch.isEmpty() && active.isEmpty()) {
      return failed
          ? new Plan(
              List.of(), List.of(), InstanceState.FAILURE, "a task failed; other branches finished")
          : new Plan(List.of(), List.of(), InstanceState.SUCCESS, "all tasks succeeded");
    }
    return new Plan(dispatch, List.of(), null, null);
  }

  private static boolean parentsSucceeded(Dag dag, String code, Map<String, Attempt> latest) {
    for (String parent : dag.parentsOf(code)) {
      Attempt p = latest.get(parent);
      if (p == null || p.state() != TaskState.SUCCESS) {
        return false;
      }
    }
    return true;
  }
}
