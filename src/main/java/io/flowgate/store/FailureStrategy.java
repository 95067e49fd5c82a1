package io.flowgate.store;

/** What an instance does when a task fails for good. */
public enum FailureStrategy {
  /** Stop the instance at the first failed task. */
  END,
  /** Run every branch that does not depend on the failed task. */
  CONTINUE
}
