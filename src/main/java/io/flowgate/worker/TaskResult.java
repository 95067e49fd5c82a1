package io.flowgate.worker;

/** How one task attempt ended: SUCCESS or FAILURE with a detail for the history. */
public record TaskResult(boolean success, String detail) {

  public static TaskResult ok(String detail) {
    return new TaskResult(true, detail);
  }

  public static TaskResult failed(String detail) {
    return new TaskResult(false, detail);
  }

  public String state() {
    return success ? "SUCCESS" : "FAILURE";
  }
}
