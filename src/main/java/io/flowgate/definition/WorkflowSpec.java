package io.flowgate.definition;

import java.util.List;
import java.util.Map;

/**
 * A workflow definition as a client writes it: tasks, the edges between them, global params, and
 * optionally the workflow's {@code code} (an admin keeps an existing DolphinScheduler code).
 */
public record WorkflowSpec(
    String name,
    String description,
    List<TaskSpec> tasks,
    List<EdgeSpec> edges,
    Map<String, String> globalParams,
    Long code) {

  /** One node of the DAG. */
  public record TaskSpec(
      String code,
      String name,
      String type,
      Map<String, Object> params,
      Integer retries,
      Integer retryDelaySeconds,
      Integer timeoutSeconds) {}

  /** {@code to} runs after {@code from} succeeded. */
  public record EdgeSpec(String from, String to) {}
}
