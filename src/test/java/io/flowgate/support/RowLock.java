package io.flowgate.support;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;

/**
 * Holds the project row FOR UPDATE in an open transaction: the foreign key check of every insert
 * into that project waits for it, so the writer is held for real until {@link #release()}.
 */
public final class RowLock implements AutoCloseable {

  private static final Duration BOUND = Duration.ofSeconds(10);

  private final SqlConnection connection;
  private final Transaction transaction;
  private boolean released;

  private RowLock(SqlConnection connection, Transaction transaction) {
    this.connection = connection;
    this.transaction = transaction;
  }

  public static RowLock onProject(Pool pool, long project) {
    SqlConnection connection = pool.getConnection().await().atMost(BOUND);
    Transaction transaction = connection.begin().await().atMost(BOUND);
    connection
        .preparedQuery("select code from project where code = $1 for update")
        .execute(Tuple.of(project))
        .await()
        .atMost(BOUND);
    return new RowLock(connection, transaction);
  }

  /** Ends the transaction: the waiting inserts go on. */
  public void release() {
    if (released) {
      return;
    }
    released = true;
    transaction.rollback().await().atMost(BOUND);
    connection.close().await().atMost(BOUND);
  }

  @Override
  public void close() {
    release();
  }
}
