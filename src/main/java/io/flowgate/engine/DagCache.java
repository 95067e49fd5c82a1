package io.flowgate.engine;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DAGs by workflow code and version; a version never changes, so one read per version. The read
 * runs on the caller's connection (a claim never needs a second one from the pool): a store error
 * fails the {@link Uni} as it is (the caller's transaction rolls back and is tried again), and only
 * a version that is missing or cannot be parsed fails it with {@link BadDefinition}.
 */
@ApplicationScoped
public class DagCache {

  private static final int MAX = 10_000;
  private static final String READ =
      "select dag from workflow_version where workflow_code = $1 and version = $2";

  /** The stored version is missing or unparseable: the instance's own definition is at fault. */
  public static final class BadDefinition extends RuntimeException {
    BadDefinition(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Map<String, Dag> dags = new ConcurrentHashMap<>();

  public Uni<Dag> get(SqlClient conn, long workflowCode, int version) {
    String key = workflowCode + ":" + version;
    Dag cached = dags.get(key);
    if (cached != null) {
      return Uni.createFrom().item(cached);
    }
    return conn.preparedQuery(READ)
        .execute(Tuple.of(workflowCode, version))
        .map(
            rows -> {
              if (!rows.iterator().hasNext()) {
                throw new BadDefinition("no workflow version " + key, null);
              }
              Dag dag = parse(key, rows.iterator().next().getValue("dag"));
              if (dags.size() >= MAX) {
                dags.clear();
              }
              dags.put(key, dag);
              return dag;
            });
  }

  private static Dag parse(String key, Object stored) {
    try {
      return Dag.parse((JsonObject) stored);
    } catch (RuntimeException e) {
      throw new BadDefinition("workflow version " + key + " cannot be parsed: " + e, e);
    }
  }
}
