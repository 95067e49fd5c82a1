package io.flowgate.store;

import java.time.Duration;

/**
 * The waits a writer transaction sets for itself, below {@code flowgate.store.commit-timeout}: a
 * lock wait gives up after a third of it (so one key held by an unfinished transaction is isolated
 * and its neighbours commit), a statement after two thirds (so the server stops the work before the
 * attempt is given up and its outcome becomes unknown).
 *
 * @param lockTimeout the transaction's {@code lock_timeout}
 * @param statementTimeout the transaction's {@code statement_timeout}
 */
public record WriterTimeouts(Duration lockTimeout, Duration statementTimeout) {

  /** The waits derived from the commit timeout. */
  public static WriterTimeouts of(Duration commitTimeout) {
    long millis = Math.max(3, commitTimeout.toMillis());
    return new WriterTimeouts(Duration.ofMillis(millis / 3), Duration.ofMillis(millis * 2 / 3));
  }

  /**
   * SET LOCAL statements for the current transaction (numbers only, nothing from a request). A part
   * of a batch split after a lock timeout already knows a key is held: it waits a tenth as long, so
   * isolating the held key does not cost a full lock timeout per split level.
   */
  public String setLocal(boolean afterLockTimeout) {
    long lockMillis =
        afterLockTimeout ? Math.max(10, lockTimeout.toMillis() / 10) : lockTimeout.toMillis();
    return "set local lock_timeout = '"
        + lockMillis
        + "ms'; set local statement_timeout = '"
        + statementTimeout.toMillis()
        + "ms'";
  }
}
