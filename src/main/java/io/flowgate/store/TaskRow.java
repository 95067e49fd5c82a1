package io.flowgate.store;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;

/**
 * One {@code task_instance} row read over the Vert.x client: the one place that knows the table's
 * column names and how each column becomes Java. A caller selects the columns it needs (the
 * constants name them) and reads only those. The state stays the stored name, as in {@link
 * InstanceRow}.
 */
public final class TaskRow {

  public static final String ID = "id";
  public static final String INSTANCE_ID = "instance_id";
  public static final String TASK_CODE = "task_code";
  public static final String TASK_TYPE = "task_type";
  public static final String PARAMS = "params";
  public static final String STATE = "state";
  public static final String ATTEMPT = "attempt";
  public static final String MAX_RETRIES = "max_retries";
  public static final String ADVANCED = "advanced";
  public static final String TIMEOUT_SECONDS = "timeout_seconds";
  public static final String ERROR = "error";
  // the trace context is the instance's: a task claim joins workflow_instance for it
  public static final String TRACE_PARENT = InstanceRow.TRACE_PARENT;
  public static final String TRACE_STATE = InstanceRow.TRACE_STATE;
  public static final String STARTED_AT = "started_at";
  public static final String ENDED_AT = "ended_at";

  private final Row row;

  private TaskRow(Row row) {
    this.row = row;
  }

  public static TaskRow of(Row row) {
    return new TaskRow(row);
  }

  public long id() {
    return row.getLong(ID);
  }

  public long instanceId() {
    return row.getLong(INSTANCE_ID);
  }

  public String taskCode() {
    return row.getString(TASK_CODE);
  }

  public String taskType() {
    return row.getString(TASK_TYPE);
  }

  /** The task's params; empty when NULL. */
  public JsonObject params() {
    JsonObject params = row.getJsonObject(PARAMS);
    return params == null ? new JsonObject() : params;
  }

  /** The stored state name (DISPATCHED, RUNNING, ...). */
  public String state() {
    return row.getString(STATE);
  }

  public int attempt() {
    return row.getInteger(ATTEMPT);
  }

  public int maxRetries() {
    return row.getInteger(MAX_RETRIES);
  }

  /** Whether the master has already advanced the DAG on this attempt's result. */
  public boolean advanced() {
    return row.getBoolean(ADVANCED);
  }

  /** Null: the task type's default. */
  public Integer timeoutSeconds() {
    return row.getInteger(TIMEOUT_SECONDS);
  }

  /** Null unless the attempt failed. */
  public String error() {
    return row.getString(ERROR);
  }

  /** The instance's traceparent, where the query joins it. */
  public String traceParent() {
    return row.getString(TRACE_PARENT);
  }

  public String traceState() {
    return row.getString(TRACE_STATE);
  }

  /** Null until a worker claimed it. */
  public OffsetDateTime startedAt() {
    return row.getOffsetDateTime(STARTED_AT);
  }

  /** Null until it ended. */
  public OffsetDateTime endedAt() {
    return row.getOffsetDateTime(ENDED_AT);
  }
}
