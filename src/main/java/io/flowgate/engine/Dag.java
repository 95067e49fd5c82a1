package io.flowgate.engine;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A workflow version's DAG as the engine runs it: nodes in definition order and their parents. */
public record Dag(Map<String, Node> nodes, Map<String, List<String>> parents) {

  /** One task of the DAG with its run settings. */
  public record Node(
      String code,
      String type,
      JsonObject params,
      int retries,
      int retryDelaySeconds,
      Integer timeoutSeconds) {}

  /** Reads the stored {@code workflow_version.dag}. */
  public static Dag parse(JsonObject dag) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    Map<String, List<String>> parents = new LinkedHashMap<>();
    JsonArray tasks = dag.getJsonArray("tasks", new JsonArray());
    for (int i = 0; i < tasks.size(); i++) {
      JsonObject t = tasks.getJsonObject(i);
      JsonObject params = t.getJsonObject("params");
      Node node =
          new Node(
              t.getString("code"),
              t.getString("type"),
              params == null ? new JsonObject() : params,
              intOf(t.getValue("retries"), 0),
              intOf(t.getValue("retryDelaySeconds"), 0),
              t.getValue("timeoutSeconds") instanceof Number n ? n.intValue() : null);
      nodes.put(node.code(), node);
      parents.put(node.code(), new ArrayList<>());
    }
    JsonArray edges = dag.getJsonArray("edges", new JsonArray());
    for (int i = 0; i < edges.size(); i++) {
      JsonObject e = edges.getJsonObject(i);
      parents.computeIfAbsent(e.getString("to"), k -> new ArrayList<>()).add(e.getString("from"));
    }
    return new Dag(nodes, parents);
  }

  /**
   * The DAG of a start-from-node run: only these nodes, and only the edges between them (a parent
   * outside the subset does not hold a node back), as DolphinScheduler plans it. Null: unchanged.
   */
  public Dag restrictedTo(Collection<String> codes) {
    if (codes == null) {
      return this;
    }
    Map<String, Node> kept = new LinkedHashMap<>();
    Map<String, List<String>> keptParents = new LinkedHashMap<>();
    nodes.forEach(
        (code, node) -> {
          if (codes.contains(code)) {
            kept.put(code, node);
            keptParents.put(code, parentsOf(code).stream().filter(codes::contains).toList());
          }
        });
    return new Dag(kept, keptParents);
  }

  public List<String> parentsOf(String code) {
    return parents.getOrDefault(code, List.of());
  }

  private static int intOf(Object value, int fallback) {
    return value instanceof Number n ? n.intValue() : fallback;
  }
}
