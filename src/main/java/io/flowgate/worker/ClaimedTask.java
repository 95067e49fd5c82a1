package io.flowgate.worker;

import io.flowgate.store.TaskRow;
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
    TaskRow r = TaskRow.of(row);
    return new ClaimedTask(
        r.id(),
        r.instanceId(),
        r.taskCode(),
        r.taskType(),
        r.params(),
        r.attempt(),
        r.timeoutSeconds(),
        r.traceParent(),
        r.traceState());
  }
}
