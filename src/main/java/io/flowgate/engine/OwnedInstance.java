package io.flowgate.engine;

import io.vertx.mutiny.sqlclient.Row;

/** An instance row a master holds the lease of, as the engine needs it. */
public record OwnedInstance(
    long id,
    long projectCode,
    long workflowCode,
    int workflowVersion,
    InstanceState state,
    String failureStrategy,
    String traceParent,
    String traceState) {

  public static final String COLUMNS =
      "i.id, i.project_code, i.workflow_code, i.workflow_version, i.state, i.failure_strategy,"
          + " i.trace_parent, i.trace_state";

  public static OwnedInstance of(Row row) {
    return new OwnedInstance(
        row.getLong("id"),
        row.getLong("project_code"),
        row.getLong("workflow_code"),
        row.getInteger("workflow_version"),
        InstanceState.of(row.getString("state")),
        row.getString("failure_strategy"),
        row.getString("trace_parent"),
        row.getString("trace_state"));
  }
}
