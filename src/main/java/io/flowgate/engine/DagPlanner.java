package io.flowgate.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, from an instance's DAG and the current state of its tasks, what comes next: tasks to
 * dispatch (ready nodes and retries), tasks to stop, and the instance's final state if it is done.
 * Pure: the same input always gives the same plan.
 */
public final class DagPlanner {

  private static final Set<String> ACTIVE = Set.of("SUBMITTED", "DISPATCHED", "RUNNING");

  /** One task attempt as stored. */
  public record TaskState(long id, String code, String state, int attempt, int maxRetries) {}

  /** A task attempt to create DISPATCHED. */
  public record NewTask(Dag.Node node, int attempt, int delaySeconds) {}

  /** What to do; {@code finalState} is null while the instance goes on. */
  public record Plan(List<NewTask> dispatch, List<Long> stop, String finalState, String reason) {
    public boolean isEmpty() {
      return dispatch.isEmpty() && stop.isEmpty() && finalState == null;
    }
  }

  private static final Set<String> FINAL = Set.of("SUCCESS", "FAILURE", "STOPPED");

  private DagPlanner() {}

  /** An instance whose definition cannot be read fails instead of blocking its claimer. */
  public static Plan unreadable(Throwable cause) {
    return new Plan(List.of(), List.of(), "FAILURE", "workflow definition unreadable: " + cause);
  }

  public static boolean isFinal(String taskState) {
    return FINAL.contains(taskState);
  }

  public static Plan plan(
      String instanceState, String failureStrategy, Dag dag, List<TaskState> tasks) {
    Map<String, TaskState> latest = new HashMap<>();
    for (TaskState t : tasks) {
      latest.merge(t.code(), t, (a, b) -> a.attempt() >= b.attempt() ? a : b);
    }
    List<Long> active = new ArrayList<>();
    latest.values().stream()
        .filter(t -> ACTIVE.contains(t.state()))
        .forEach(t -> active.add(t.id()));
    if ("STOPPING".equals(instanceState)) {
      return new Plan(List.of(), active, "STOPPED", "instance stopped");
    }
    List<NewTask> dispatch = new ArrayList<>();
    boolean failed = false;
    for (TaskState t : latest.values()) {
      if ("FAILURE".equals(t.state()) && t.attempt() <= t.maxRetries()) {
        Dag.Node node = dag.nodes().get(t.code());
        if (node != null) {
          dispatch.add(new NewTask(node, t.attempt() + 1, node.retryDelaySeconds()));
          continue;
        }
      }
      failed |= "FAILURE".equals(t.state()) || "STOPPED".equals(t.state());
    }
    if (failed && "END".equals(failureStrategy)) {
      return new Plan(List.of(), active, "FAILURE", "a task failed; failure strategy END");
    }
    for (Dag.Node node : dag.nodes().values()) {
      if (!latest.containsKey(node.code()) && parentsSucceeded(dag, node.code(), latest)) {
        dispatch.add(new NewTask(node, 1, 0));
      }
    }
    if (dispatch.isEmpty() && active.isEmpty()) {
      return failed
          ? new Plan(List.of(), List.of(), "FAILURE", "a task failed; other branches finished")
          : new Plan(List.of(), List.of(), "SUCCESS", "all tasks succeeded");
    }
    return new Plan(dispatch, List.of(), null, null);
  }

  private static boolean parentsSucceeded(Dag dag, String code, Map<String, TaskState> latest) {
    for (String parent : dag.parentsOf(code)) {
      TaskState p = latest.get(parent);
      if (p == null || !"SUCCESS".equals(p.state())) {
        return false;
      }
    }
    return true;
  }
}
