package io.flowgate.engine;

import static io.flowgate.support.Api.admin;
import static io.flowgate.support.Api.startPath;
import static org.awaitility.Awaitility.await;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Starts instances and reads what the engine wrote, for the engine tests. */
@ApplicationScoped
public class EngineDb {

  static final Set<String> FINAL = Set.of("SUCCESS", "FAILURE", "STOPPED");

  private final Pool pool;

  public EngineDb(Pool pool) {
    this.pool = pool;
  }

  public List<Row> rows(String sql, Object... args) {
    List<Row> rows = new ArrayList<>();
    pool.preparedQuery(sql)
        .execute(Tuple.from(args))
        .await()
        .atMost(Duration.ofSeconds(30))
        .forEach(rows::add);
    return rows;
  }

  public String state(long instance) {
    return rows("select state from workflow_instance where id = $1", instance)
        .get(0)
        .getString("state");
  }

  /** Starts an instance through the API and returns its id. */
  public long start(long project, long workflow, String failureStrategy) {
    return admin()
        .body(Map.of("failureStrategy", failureStrategy))
        .post(startPath(project, workflow))
        .then()
        .statusCode(201)
        .extract()
        .jsonPath()
        .getLong("instanceId");
  }

  /** Waits until the instance is final and returns its state. */
  public String awaitFinal(long instance) {
    await().atMost(Duration.ofSeconds(60)).until(() -> FINAL.contains(state(instance)));
    return state(instance);
  }

  /** task code -> state of the latest attempt. */
  public Map<String, String> taskStates(long instance) {
    Map<String, String> states = new java.util.TreeMap<>();
    rows(
            "select task_code, state from task_instance where instance_id = $1 order by attempt",
            instance)
        .forEach(r -> states.put(r.getString("task_code"), r.getString("state")));
    return states;
  }

  /** History rows of the instance in order: "task:attempt:STATE" or "STATE" for the instance. */
  public List<String> history(long instance) {
    List<String> out = new ArrayList<>();
    rows(
            "select task_code, attempt, state from instance_transition"
                + " where instance_id = $1 order by id",
            instance)
        .forEach(
            r ->
                out.add(
                    r.getString("task_code") == null
                        ? r.getString("state")
                        : r.getString("task_code")
                            + ":"
                            + r.getInteger("attempt")
                            + ":"
                            + r.getString("state")));
    return out;
  }

  public String error(long instance, String task, int attempt) {
    return rows(
            "select error from task_instance where instance_id = $1 and task_code = $2"
                + " and attempt = $3",
            instance,
            task,
            attempt)
        .get(0)
        .getString("error");
  }
}
