package io.flowgate.store;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One {@code workflow_instance} row read over the Vert.x client: the one place that knows the
 * table's column names and how each column becomes Java. A caller selects the columns it needs (the
 * constants below name them) and reads only those; a column it did not select is not read. The
 * state stays the stored name: its enum belongs to the engine, which this package must not know.
 */
public final class InstanceRow {

  public static final String ID = "id";
  public static final String PROJECT_CODE = "project_code";
  public static final String WORKFLOW_CODE = "workflow_code";
  public static final String WORKFLOW_VERSION = "workflow_version";
  public static final String STATE = "state";
  public static final String PRIORITY = "priority";
  public static final String FAILURE_STRATEGY = "failure_strategy";
  public static final String PARAMS = "params";
  public static final String SCHEDULE_TIME = "schedule_time";
  public static final String WORKER_GROUP = "worker_group";
  public static final String DRY_RUN = "dry_run";
  public static final String TEST_FLAG = "test_flag";
  public static final String IDEMPOTENCY_KEY = "idempotency_key";
  public static final String REQUEST_ID = "request_id";
  public static final String REQUEST_FINGERPRINT = "request_fingerprint";
  public static final String TRACE_PARENT = "trace_parent";
  public static final String TRACE_STATE = "trace_state";
  public static final String START_NODES = "start_nodes";
  public static final String COMPLEMENT_OF = "complement_of";
  public static final String TRIGGER_CODE = "trigger_code";
  public static final String LEASE_OWNER = "lease_owner";
  public static final String CLAIM_COUNT = "claim_count";
  public static final String CREATED_AT = "created_at";
  public static final String UPDATED_AT = "updated_at";
  public static final String STARTED_AT = "started_at";
  public static final String ENDED_AT = "ended_at";

  /** What a start answers about an instance ({@link #summary()}). */
  public static final String SUMMARY_COLUMNS =
      "id, project_code, workflow_code, workflow_version, state, idempotency_key, trace_parent,"
          + " created_at";

  private final Row row;

  private InstanceRow(Row row) {
    this.row = row;
  }

  public static InstanceRow of(Row row) {
    return new InstanceRow(row);
  }

  public long id() {
    return row.getLong(ID);
  }

  public long projectCode() {
    return row.getLong(PROJECT_CODE);
  }

  public long workflowCode() {
    return row.getLong(WORKFLOW_CODE);
  }

  public int workflowVersion() {
    return row.getInteger(WORKFLOW_VERSION);
  }

  /** The stored state name (SUBMITTED, RUNNING, ...). */
  public String state() {
    return row.getString(STATE);
  }

  public String priority() {
    return row.getString(PRIORITY);
  }

  public String failureStrategy() {
    return row.getString(FAILURE_STRATEGY);
  }

  /** The start's params as stored (a JSON object of strings); empty when NULL. */
  public JsonObject paramsJson() {
    Object value = row.getValue(PARAMS);
    return value instanceof JsonObject o ? o : new JsonObject();
  }

  /** The start's params in the order stored; empty when NULL. */
  public Map<String, Object> params() {
    return new LinkedHashMap<>(paramsJson().getMap());
  }

  /** Null when the start gave none. */
  public OffsetDateTime scheduleTime() {
    return row.getOffsetDateTime(SCHEDULE_TIME);
  }

  public String workerGroup() {
    return row.getString(WORKER_GROUP);
  }

  public boolean dryRun() {
    return row.getBoolean(DRY_RUN);
  }

  public boolean testFlag() {
    return row.getBoolean(TEST_FLAG);
  }

  public String idempotencyKey() {
    return row.getString(IDEMPOTENCY_KEY);
  }

  public UUID requestId() {
    return row.getUUID(REQUEST_ID);
  }

  public String requestFingerprint() {
    return row.getString(REQUEST_FINGERPRINT);
  }

  public String traceParent() {
    return row.getString(TRACE_PARENT);
  }

  /** The trace id of the stored {@code traceparent}, or null. */
  public String traceId() {
    return TraceParents.traceId(traceParent());
  }

  public String traceState() {
    return row.getString(TRACE_STATE);
  }

  /** The task codes a start-from-node start runs; null runs the whole DAG. */
  public List<String> startNodes() {
    String[] codes = row.getArrayOfStrings(START_NODES);
    return codes == null ? null : List.of(codes);
  }

  /** The key of the complement request this instance is one date of, or null. */
  public String complementOf() {
    return row.getString(COMPLEMENT_OF);
  }

  /** Null when the instance was not started by a DS multi-instance start. */
  public Long triggerCode() {
    return row.getLong(TRIGGER_CODE);
  }

  public String leaseOwner() {
    return row.getString(LEASE_OWNER);
  }

  public int claimCount() {
    return row.getInteger(CLAIM_COUNT);
  }

  public OffsetDateTime createdAt() {
    return row.getOffsetDateTime(CREATED_AT);
  }

  public OffsetDateTime updatedAt() {
    return row.getOffsetDateTime(UPDATED_AT);
  }

  /** Null until a master claimed it. */
  public OffsetDateTime startedAt() {
    return row.getOffsetDateTime(STARTED_AT);
  }

  /** Null until it ended. */
  public OffsetDateTime endedAt() {
    return row.getOffsetDateTime(ENDED_AT);
  }

  /**
   * What a start answers for the row it has just inserted: the command's own values (the row is
   * SUBMITTED as written), the id and creation time the database gave it.
   */
  public InstanceSummary insertedBy(StartCommand command) {
    return new InstanceSummary(
        id(),
        command.projectCode(),
        command.workflowCode(),
        command.workflowVersion(),
        "SUBMITTED",
        command.idempotencyKey(),
        command.traceId(),
        createdAt());
  }

  /** What a start answers, from the {@link #SUMMARY_COLUMNS}. */
  public InstanceSummary summary() {
    return new InstanceSummary(
        id(),
        projectCode(),
        workflowCode(),
        workflowVersion(),
        state(),
        idempotencyKey(),
        traceId(),
        createdAt());
  }
}
