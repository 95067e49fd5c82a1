package io.flowgate.worker;

import io.flowgate.engine.TaskState;

/** How one task attempt ended: SUCCESS or FAILURE with a detail for the history. */
public record TaskResult(boolean success, String detail) {

  public static TaskResult ok(String detail) {
    return new TaskResult(true, detail);
  }

  public static TaskResult failed(String detail) {
    return new TaskResult(false, detail);
  }

  public TaskState state() {
    return success ? TaskState.SUCCESS : TaskState.FAILURE;
  }
}
