package io.flowgate.dolphinscheduler;

import io.flowgate.store.DefinitionRow;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The definition facts a DS start checks, in DS's order and with DS's codes: project, then the
 * definition at the asked version (ExecutorServiceImpl 3.2.2 lines 228-257).
 */
@ApplicationScoped
public class DsDefinitions {

  /** One workflow version as a DS start sees it. */
  public record Definition(
      long code, long projectCode, String name, String releaseState, int version, JsonObject dag) {

    /** Task codes in definition order. */
    public List<String> taskCodes() {
      List<String> codes = new ArrayList<>();
      JsonArray tasks = dag.getJsonArray("tasks", new JsonArray());
      for (int i = 0; i < tasks.size(); i++) {
        codes.add(tasks.getJsonObject(i).getString("code"));
      }
      return codes;
    }

    /** Children of each task code, from the edges. */
    Map<String, List<String>> children() {
      Map<String, List<String>> out = new LinkedHashMap<>();
      taskCodes().forEach(c -> out.put(c, new ArrayList<>()));
      JsonArray edges = dag.getJsonArray("edges", new JsonArray());
      for (int i = 0; i < edges.size(); i++) {
        JsonObject e = edges.getJsonObject(i);
        out.computeIfAbsent(e.getString("from"), k -> new ArrayList<>()).add(e.getString("to"));
      }
      return out;
    }

    Map<String, List<String>> parents() {
      Map<String, List<String>> out = new LinkedHashMap<>();
      taskCodes().forEach(c -> out.put(c, new ArrayList<>()));
      children().forEach((from, tos) -> tos.forEach(to -> out.get(to).add(from)));
      return out;
    }

    /**
     * The task codes a start-from-node run executes (DS DagHelper.generateFlowNodeListByStartNode):
     * TASK_ONLY the nodes, TASK_PRE the nodes and their ancestors, TASK_POST the nodes and their
     * descendants; in definition order.
     */
    public List<String> subset(List<String> startNodes, String dependType) {
      Set<String> picked = new LinkedHashSet<>(startNodes);
      if ("TASK_PRE".equals(dependType)) {
        closure(picked, parents());
      } else if (!"TASK_ONLY".equals(dependType)) {
        closure(picked, children());
      }
      return taskCodes().stream().filter(picked::contains).toList();
    }

    private static void closure(Set<String> picked, Map<String, List<String>> next) {
      List<String> todo = new ArrayList<>(picked);
      while (!todo.isEmpty()) {
        String code = todo.remove(todo.size() - 1);
        for (String n : next.getOrDefault(code, List.of())) {
          if (picked.add(n)) {
            todo.add(n);
          }
        }
      }
    }
  }

  private final Pool pool;

  public DsDefinitions(Pool pool) {
    this.pool = pool;
  }

  public Uni<Boolean> projectExists(long projectCode) {
    return pool.preparedQuery("select 1 from project where code = $1")
        .execute(Tuple.of(projectCode))
        .map(rows -> rows.size() > 0);
  }

  /** The definition at {@code version} (null: the latest), or null when there is none. */
  public Uni<Definition> definition(long code, Integer version) {
    return pool.preparedQuery(
            "select w.code, w.project_code, w.name, w.release_state, v.version, v.dag"
                + " from workflow w join workflow_version v on v.workflow_code = w.code"
                + " and v.version = coalesce($2, w.latest_version) where w.code = $1")
        .execute(Tuple.of(code, version))
        .map(rows -> rows.size() == 0 ? null : of(rows.iterator().next()));
  }

  private static Definition of(Row row) {
    DefinitionRow r = DefinitionRow.of(row);
    return new Definition(
        r.code(), r.projectCode(), r.name(), r.releaseState(), r.version(), r.dag());
  }
}
