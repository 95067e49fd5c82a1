package io.flowgate.definition;

import io.flowgate.definition.WorkflowSpec.EdgeSpec;
import io.flowgate.definition.WorkflowSpec.TaskSpec;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a workflow definition before it is stored: names and sizes, unique task codes, edges
 * between existing tasks, no cycle, known task types with valid params, text PostgreSQL can store
 * as sent. Every violation of the graph is a 422 INVALID_DAG whose detail names the offending task
 * (by its position when its code is not a valid code); a bad name, description or global param is a
 * 400 VALIDATION_FAILED.
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
  private final int maxGlobalParams;
  private final int maxGlobalParamLength;

  /**
   * @param maxGlobalParams most global params, as for the params of one start
   * @param maxGlobalParamLength longest key or value of one global param
   */
  public DagValidator(TaskTypes taskTypes, int maxGlobalParams, int maxGlobalParamLength) {
    this.taskTypes = taskTypes;
    this.maxGlobalParams = maxGlobalParams;
    this.maxGlobalParamLength = maxGlobalParamLength;
  }

  public void validate(WorkflowSpec spec) {
    if (spec == null) {
      throw invalidField("body", "a workflow definition is required");
    }
    requireText("name", spec.name(), MAX_NAME);
    checkText("name", SafeText.nameProblem(spec.name()));
    if (spec.code() != null && spec.code() <= 0) {
      throw invalidField("code", "a positive 64-bit integer");
    }
    if (spec.description() != null) {
      if (spec.description().length() > MAX_DESCRIPTION) {
        throw invalidField("description", "at most " + MAX_DESCRIPTION + " characters");
      }
      checkText("description", SafeText.problem(spec.description()));
    }
    validateGlobalParams(spec.globalParams());
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
    for (int i = 0; i < tasks.size(); i++) {
      TaskSpec task = tasks.get(i);
      validateTask(i, task);
      if (!codes.add(task.code())) {
        throw invalid("task '" + task.code() + "': duplicate task code");
      }
    }
    for (int i = 0; i < edges.size(); i++) {
      validateEdge(i, edges.get(i), codes);
    }
    String cycle = findCycle(codes, edges);
    if (cycle != null) {
      throw invalid("task '" + cycle + "': the edges form a cycle through it");
    }
  }

  private void validateGlobalParams(Map<String, String> params) {
    if (params == null) {
      return;
    }
    if (params.size() > maxGlobalParams) {
      throw invalidField("globalParams", "at most " + maxGlobalParams + " entries");
    }
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (e.getKey().isEmpty() || e.getKey().length() > maxGlobalParamLength) {
        throw invalidField("globalParams", "keys are 1-" + maxGlobalParamLength + " characters");
      }
      checkText("globalParams key", SafeText.problem(e.getKey()));
      String field = "globalParams." + SafeText.shown(e.getKey());
      if (e.getValue() == null) {
        throw invalidField(field, "must be a string");
      }
      if (e.getValue().length() > maxGlobalParamLength) {
        throw invalidField(field, "at most " + maxGlobalParamLength + " characters");
      }
      checkText(field, SafeText.problem(e.getValue()));
    }
  }

  private void validateTask(int index, TaskSpec task) {
    if (task == null) {
      throw invalid("tasks[" + index + "]: a task entry is null");
    }
    // a code that is not a valid code is not echoed: the task is named by its position
    if (task.code() == null || !TASK_CODE.matcher(task.code()).matches()) {
      throw invalid("tasks[" + index + "]: code must be 1-64 of [A-Za-z0-9_-]");
    }
    String where = "task '" + task.code() + "': ";
    if (task.name() != null) {
      if (task.name().length() > MAX_NAME) {
        throw invalid(where + "name is longer than " + MAX_NAME);
      }
      String problem = SafeText.nameProblem(task.name());
      if (problem != null) {
        throw invalid(where + "name " + problem);
      }
    }
    String paramsProblem = textProblem(task.params());
    if (paramsProblem != null) {
      throw invalid(where + "params " + paramsProblem);
    }
    checkRange(where + "retries", task.retries(), 0, MAX_RETRIES);
    checkRange(where + "retryDelaySeconds", task.retryDelaySeconds(), 0, MAX_RETRY_DELAY);
    checkRange(where + "timeoutSeconds", task.timeoutSeconds(), 1, MAX_TIMEOUT);
    String problem = taskTypes.problemWith(task.type(), task.params());
    if (problem != null) {
      throw invalid(where + problem);
    }
  }

  // the text of every string (and key) in task params, at any depth
  private static String textProblem(Object value) {
    if (value instanceof String text) {
      return SafeText.problem(text);
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String problem = textProblem(e.getKey());
        problem = problem != null ? problem : textProblem(e.getValue());
        if (problem != null) {
          return problem;
        }
      }
    }
    if (value instanceof List<?> list) {
      for (Object item : list) {
        String problem = textProblem(item);
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }

  private static void validateEdge(int index, EdgeSpec edge, Set<String> codes) {
    if (edge == null || edge.from() == null || edge.to() == null) {
      throw invalid("edges[" + index + "]: an edge needs both 'from' and 'to'");
    }
    if (!codes.contains(edge.from())) {
      throw invalid(named(index, edge.from()) + "edge from a task that does not exist");
    }
    if (!codes.contains(edge.to())) {
      throw invalid(named(index, edge.to()) + "edge to a task that does not exist");
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

  private static String named(int edgeIndex, String code) {
    return TASK_CODE.matcher(code).matches()
        ? "task '" + code + "': "
        : "edges[" + edgeIndex + "]: not a task code; ";
  }

  private static void checkText(String field, String problem) {
    if (problem != null) {
      throw invalidField(field, problem);
    }
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
