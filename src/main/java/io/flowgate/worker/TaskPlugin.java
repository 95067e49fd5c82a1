package io.flowgate.worker;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Map;

/**
 * One task type. {@link #run} must not block: it returns at once and completes its {@link Uni} with
 * the outcome, or fails it with an exception whose message says what went wrong.
 */
public interface TaskPlugin {

  /** The task type this plugin runs, e.g. {@code HTTP}. */
  String type();

  /**
   * @param params the task's params, already checked against {@code TaskTypes}
   * @param timeout how long the task may take
   */
  Uni<TaskResult> run(Map<String, Object> params, Duration timeout);

  /**
   * Runs one attempt; a plugin that talks to other systems overrides this to pass on the attempt's
   * identity (tasks are at-least-once: the same attempt can run again after a lost lease).
   */
  default Uni<TaskResult> run(ClaimedTask task, Map<String, Object> params, Duration timeout) {
    return run(params, timeout);
  }
}
