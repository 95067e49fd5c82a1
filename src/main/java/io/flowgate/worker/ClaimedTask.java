package io.flowgate.worker;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

/** A task attempt this worker holds the lease of. */
public record ClaimedTask(
    long id,
    long instanceId,
    String taskCode,
    String type,
    JsonObject params,
    int attempt,
    Integer timeoutSeconds,
    String traceParent,
    String traceState) {

  /**
   * The {@code Idempotency-Key} an HTTP task sends: the same for every run of this attempt (a
   * re-run after a lost lease or a drain), a new one for a retry.
   */
  public String idempotencyKey() {
    return "flowgate-" + instanceId + "-" + taskCode + "-" + attempt;
  }

  static ClaimedTask of(Row row) {
    JsonObject params = row.getJsonObject("params");
    return new ClaimedTask(
        row.getLong("id"),
        row.getLong("instance_id"),
        row.getString("task_code"),
        row.getString("task_type"),
        params == null ? new JsonObject() : params,
        row.getInteger("attempt"),
        row.getInteger("timeout_seconds"),
        row.getString("trace_parent"),
        row.getString("trace_state"));
  }
}
