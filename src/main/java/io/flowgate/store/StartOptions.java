package io.flowgate.store;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * What a start asks for, with the defaults applied: the store-side form of a start request's body.
 *
 * @param params the instance's parameters, never null
 * @param scheduleTime the business time of the run, null for now
 * @param workerGroup the worker group the tasks go to, null for the default
 */
public record StartOptions(
    Map<String, String> params,
    Priority priority,
    FailureStrategy failureStrategy,
    OffsetDateTime scheduleTime,
    String workerGroup,
    boolean dryRun) {

  /** A start with no parameters, the default priority and failure strategy, run now. */
  public static final StartOptions DEFAULTS =
      new StartOptions(Map.of(), Priority.MEDIUM, FailureStrategy.END, null, null, false);
}
