package io.flowgate.engine;

import io.flowgate.store.InstanceRow;
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
    InstanceRow r = InstanceRow.of(row);
    return new OwnedInstance(
        r.id(),
        r.projectCode(),
        r.workflowCode(),
        r.workflowVersion(),
        InstanceState.of(r.state()),
        r.failureStrategy(),
        r.traceParent(),
        r.traceState(),
        r.startNodes());
  }
}
