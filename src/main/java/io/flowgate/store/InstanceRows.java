package io.flowgate.store;

import io.vertx.mutiny.sqlclient.Row;

/** Resolves a start whose key already had an instance: own retry, replay or conflict. */
final class InstanceRows {
  private InstanceRows() {}

  static StartOutcome resolveExisting(StartCommand command, Row row) {
    if (row == null) {
      // the constraint refused the row but no row holds the key: a concurrent transaction
      // that inserted it rolled back after our insert waited; the caller retries the item
      throw new TransientStoreException("idempotency key vanished during the batch", null, false);
    }
    InstanceSummary summary =
        new InstanceSummary(
            row.getLong("id"),
            row.getLong("project_code"),
            row.getLong("workflow_code"),
            row.getInteger("workflow_version"),
            row.getString("state"),
            row.getString("idempotency_key"),
            TraceParents.traceId(row.getString("trace_parent")),
            row.getOffsetDateTime("created_at"));
    if (command.requestId().equals(row.getUUID("request_id"))) {
      return StartOutcome.created(summary);
    }
    if (command.sameRequestAs(row.getString("request_fingerprint"))) {
      return new StartOutcome(StartOutcome.Kind.REPLAYED, summary);
    }
    return new StartOutcome(StartOutcome.Kind.KEY_REUSED, summary);
  }
}
