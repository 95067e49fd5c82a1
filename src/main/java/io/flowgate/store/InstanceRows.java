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
    InstanceRow stored = InstanceRow.of(row);
    InstanceSummary summary = stored.summary();
    if (command.requestId().equals(stored.requestId())) {
      return StartOutcome.created(summary);
    }
    if (command.sameRequestAs(stored.requestFingerprint())) {
      return new StartOutcome(StartOutcome.Kind.REPLAYED, summary);
    }
    return new StartOutcome(StartOutcome.Kind.KEY_REUSED, summary);
  }
}
