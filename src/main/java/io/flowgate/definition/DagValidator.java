package io.flowgate.definition;

import io.flowgate.definition.WorkflowSpec.EdgeSpec;
import io.flowgate.definition.WorkflowSpec.TaskSpec;
import io.flowgate.observability.ErrorCode;
import io.flowgate.observability.FlowgateException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a workflow definition before it is stored: names and sizes, unique task codes, edges
 * between existing tasks, no cycle, known task types with valid params. Every violation is a 422
 * INVALID_DAG whose detail names the offending task.
 */
public final class DagValidator {

  /** Task codes: 1–64 of {@code [A-Za-z0-9_-]}. */
  public static final Pattern TASK_CODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private static final int MAX_TASKS = 500;
  private static final int MAX_EDGES = 2000;
  private static final int MAX_NAME = 200;
  private static final int MAX_DESCRIPTION = 2000;
  private static final int MAX_RETRIES = 10;
  private static final int MAX_RETRY_DELAY = 3600;
  private static final int MAX_TIMEOUT = 86_400;

  private final TaskTypes taskTypes;

  public DagValidator(TaskTypes taskTypes) {
    this.taskTypes = taskTypes;
  }

  public void validate(WorkflowSpec spec) {
    if (spec == null) {
      throw invalidField("body", "a workflow definition is required");
    }
    requireText("name", spec.name(), MAX_NAME);
    if (spec.description() != null && spec.description().length() > MAX_DESCRIPTION) {
      throw invalidField("description", "at most " + MAX_DESCRIPTION + " characters");
    }
    List<TaskSpec> tasks = spec.tasks();
    if (tasks == null || tasks.isEmpty()) {
      throw invalid("a workflow needs at least one task");
    }
    if (tasks.size() > MAX_TASKS) {
      throw invalid("a workflow has at most " + MAX_TASKS + " tasks");
    }
    List<EdgeSpec> edges = spec.edges() == null ? List.of() : spec.edges();
    if (edges.size() > MAX_EDGES) {
      throw invalid("a workflow has at most " + MAX_EDGES + " edges");
    }
    Set<String> codes = new HashSet<>();
    for (TaskSpec task : tasks) {
      validateTask(task);
      if (!codes.add(task.code())) {
        throw invalid("task '" + task.code() + "': duplicate task code");
      }
    }
    for (EdgeSpec edge : edges) {
      validateEdge(edge, codes);
    }
    String cycle = findCycle(codes, edges);
    if (cycle != null) {
      throw invalid("task '" + cycle + "': the edges form a cycle through it");
    }
  }

  private void validateTask(TaskSpec task) {
    if (task == null) {
      throw invalid("a task entry is null");
    }
    if (task.code() == null || !TASK_CODE.matcher(task.code()).matches()) {
      throw invalid("task '" + task.code() + "': code must be 1-64 of [A-Za-z0-9_-]");
    }
    String where = "task '" + task.code() + "': ";
    if (task.name() != null && task.name().length() > MAX_NAME) {
      throw invalid(where + "name is longer than " + MAX_NAME);
    }
    checkRange(where + "retries", task.retries(), 0, MAX_RETRIES);
    checkRange(where + "retryDelaySeconds", task.retryDelaySeconds(), 0, MAX_RETRY_DELAY);
    checkRange(where + "timeoutSeconds", task.timeoutSeconds(), 1, MAX_TIMEOUT);
    String problem = taskTypes.problemWith(task.type(), task.params());
    if (problem != null) {
      throw invalid(where + problem);
    }
  }

  private static void validateEdge(EdgeSpec edge, Set<String> codes) {
    if (edge == null || edge.from() == null || edge.to() == null) {
      throw invalid("an edge needs both 'from' and 'to'");
    }
    if (!codes.contains(edge.from())) {
      throw invalid("task '" + edge.from() + "': edge from a task that does not exist");
    }
    if (!codes.contains(edge.to())) {
      throw invalid("task '" + edge.to() + "': edge to a task that does not exist");
    }
    if (edge.from().equals(edge.to())) {
      throw invalid("task '" + edge.from() + "': edge from a task to itself");
    }
  }

  // Kahn's algorithm: whatever keeps a positive in-degree lies on (or behind) a cycle
  private static String findCycle(Set<String> codes, List<EdgeSpec> edges) {
    Map<String, Integer> inDegree = new HashMap<>();
    Map<String, List<String>> next = new HashMap<>();
    codes.forEach(c -> inDegree.put(c, 0));
    for (EdgeSpec edge : edges) {
      next.computeIfAbsent(edge.from(), k -> new java.util.ArrayList<>()).add(edge.to());
      inDegree.merge(edge.to(), 1, Integer::sum);
    }
    ArrayDeque<String> ready = new ArrayDeque<>();
    inDegree.forEach(
        (code, degree) -> {
          if (degree == 0) {
            ready.add(code);
          }
        });
    int seen = 0;
    while (!ready.isEmpty()) {
      String code = ready.poll();
      seen++;
      for (String child : next.getOrDefault(code, List.of())) {
        if (inDegree.merge(child, -1, Integer::sum) == 0) {
          ready.add(child);
        }
      }
    }
    if (seen == codes.size()) {
      return null;
    }
    return inDegree.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .map(Map.Entry::getKey)
        .sorted()
        .findFirst()
        .orElse(null);
  }

  private static void checkRange(String what, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      throw invalid(what + " must be between " + min + " and " + max);
    }
  }

  private static void requireText(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      throw invalidField(field, "is required");
    }
    if (value.length() > max) {
      throw invalidField(field, "at most " + max + " characters");
    }
  }

  private static FlowgateException invalid(String detail) {
    return new FlowgateException(ErrorCode.INVALID_DAG, detail);
  }

  private static FlowgateException invalidField(String field, String detail) {
    return new FlowgateException(ErrorCode.VALIDATION_FAILED, field + ": " + detail);
  }
}
