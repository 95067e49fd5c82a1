package io.flowgate.engine;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** DAGs by workflow code and version; a version never changes, so one read per version. */
@ApplicationScoped
public class DagCache {

  private static final int MAX = 10_000;

  private final Pool pool;
  private final Map<String, Dag> dags = new ConcurrentHashMap<>();

  public DagCache(Pool pool) {
    this.pool = pool;
  }

  public Uni<Dag> get(long workflowCode, int version) {
    String key = workflowCode + ":" + version;
    Dag cached = dags.get(key);
    if (cached != null) {
      return Uni.createFrom().item(cached);
    }
    return pool.preparedQuery(
            "select dag from workflow_version where workflow_code = $1 and version = $2")
        .execute(Tuple.of(workflowCode, version))
        .map(
            rows -> {
              if (!rows.iterator().hasNext()) {
                throw new IllegalStateException("no workflow version " + key);
              }
              Dag dag = Dag.parse(rows.iterator().next().getJsonObject("dag"));
              if (dags.size() >= MAX) {
                dags.clear();
              }
              dags.put(key, dag);
              return dag;
            });
  }
}
