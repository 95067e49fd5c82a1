package io.flowgate.engine;

import io.flowgate.definition.TaskTypes;
import io.flowgate.engine.DagPlanner.Attempt;
import io.flowgate.engine.DagPlanner.NewTask;
import io.flowgate.engine.DagPlanner.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs in-process tasks (NOOP) inside the master's own transaction instead of dispatching them to a
 * worker: while every task a plan dispatches is in-process and due now, their results are decided
 * here and the instance is planned again, so a NOOP-only workflow is claimed, run and completed in
 * one transaction. A plan that dispatches anything else (or a delayed retry) is written as is.
 */
public final class InlineTasks {

  /** An attempt run inline, with the result it is stored with. */
  public record Ran(Dag.Node node, int attempt, TaskState state, String detail) {}

  /** The plan left after the inline runs, and those runs in order. */
  public record Expanded(Plan plan, List<Ran> ran) {}

  private static final String NOOP = "NOOP";

  private final TaskTypes types;
  private final boolean enabled;

  public InlineTasks(TaskTypes types, boolean enabled) {
    this.types = types;
    this.enabled = enabled;
  }

  /** Plans the instance, running in-process tasks inline as long as a plan holds only those. */
  public Expanded plan(InstanceState state, String failureStrategy, Dag dag, List<Attempt> stored) {
    Plan plan = DagPlanner.plan(state, failureStrategy, dag, stored);
    if (!enabled) {
      return new Expanded(plan, List.of());
    }
    List<Attempt> tasks = new ArrayList<>(stored);
    List<Ran> ran = new ArrayList<>();
    // bounded: every round adds an attempt, and attempts per node are bounded by its retries
    while (plan.finalState() == null && inlineOnly(plan)) {
      for (NewTask t : plan.dispatch()) {
        Ran r = run(t);
        ran.add(r);
        // ids of inline attempts are never used: nothing inline is left active to be stopped
        tasks.add(
            new Attempt(-ran.size(), t.node().code(), r.state(), t.attempt(), t.node().retries()));
      }
      plan = DagPlanner.plan(state, failureStrategy, dag, tasks);
    }
    return new Expanded(plan, ran);
  }

  private static boolean inlineOnly(Plan plan) {
    if (plan.dispatch().isEmpty()) {
      return false;
    }
    for (NewTask t : plan.dispatch()) {
      if (!NOOP.equals(t.node().type()) || t.delaySeconds() > 0) {
        return false;
      }
    }
    return true;
  }

  // the same outcome a worker's NoopTask gives, params checked first as the worker does
  private Ran run(NewTask t) {
    String problem = types.problemWith(t.node().type(), t.node().params().getMap());
    return problem == null
        ? new Ran(t.node(), t.attempt(), TaskState.SUCCESS, "noop")
        : new Ran(t.node(), t.attempt(), TaskState.FAILURE, "bad task params: " + problem);
  }
}
