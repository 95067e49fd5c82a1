package io.flowgate.engine;

import io.vertx.mutiny.sqlclient.Row;
import java.util.List;

/** An instance row a master holds the lease of, as the engine needs it. */
public record OwnedInstance(
    long id,
    long projectCode,
    long workflowCode,
    int workflowVersion,
    InstanceState state,
    String failureStrategy,
    String traceParent,
    String traceState,
    List<String> startNodes) {

  public static final String COLUMNS =
      "i.id, i.project_code, i.workflow_code, i.workflow_version, i.state, i.failure_strategy,"
          + " i.trace_parent, i.trace_state, i.start_nodes";

  public static OwnedInstance of(Row row) {
    return new OwnedInstance(
        row.getLong("id"),
        row.getLong("project_code"),
        row.getLong("workflow_code"),
        row.getInteger("workflow_version"),
        InstanceState.of(row.getString("state")),
        row.getString("failure_strategy"),
        row.getString("trace_parent"),
        row.getString("trace_state"),
        startNodes(row.getArrayOfStrings("start_nodes")));
  }

  // the task codes a start-from-node start runs; null runs the whole DAG
  private static List<String> startNodes(String[] codes) {
    return codes == null ? null : List.of(codes);
  }
}
