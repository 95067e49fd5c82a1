package io.flowgate.store;

import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Sorts store failures by what the client can do about them. Only the request's own data (SQLSTATE
 * classes 22 and 23) is an item error; a lock wait that ran out (55P03) concerns the items whose
 * keys are locked, so it is isolated like a data error; every other error the server reported
 * (permissions, read-only standby, schema drift, authentication, resources, internal and I/O) is
 * the store's: nothing was committed, and it is answered 503 and counted by the breaker. Only a
 * failure without the server's answer (dropped connection, timeout) may hide a commit.
 */
public final class StoreFailures {

  /** lock_not_available: the writer's lock_timeout ran out while a key was locked. */
  static final String LOCK_TIMEOUT = "55P03";

  private static final Set<String> TRANSIENT_STATES =
      Set.of(
          "40001", "40P01", "57014", "57P01", "57P02", "57P03", "53000", "53100", "53200", "53300");

  private StoreFailures() {}

  /** A failure as thrown by the reactive client, mapped for the fault-tolerance boundary. */
  public static RuntimeException classify(Throwable failure) {
    if (failure instanceof TransientStoreException
        || failure instanceof StoreDataException
        || failure instanceof StoreRefusedException) {
      return (RuntimeException) failure;
    }
    PgException pg = pgCause(failure);
    if (pg != null) {
      return classify(pg);
    }
    if (isPoolExhausted(failure)) {
      // no connection was ever handed out, so nothing was sent
      return new TransientStoreException("no free store connection in time", failure, false);
    }
    // the server answered nothing we can read: the connection dropped or the call timed out, so
    // the transaction may or may not have committed
    boolean ambiguous = !(failure instanceof java.net.ConnectException);
    String what =
        failure instanceof TimeoutException ? "timeout" : failure.getClass().getSimpleName();
    return new TransientStoreException("store call failed: " + what, failure, ambiguous);
  }

  private static RuntimeException classify(PgException pg) {
    String state = pg.getSqlState() == null ? "" : pg.getSqlState();
    if (isItemState(state)) {
      return new StoreDataException(state, pg.getErrorMessage(), pg);
    }
    if (TRANSIENT_STATES.contains(state) || state.startsWith("08")) {
      return new TransientStoreException("transient SQL state " + state, pg, false);
    }
    return new StoreRefusedException(state, pg);
  }

  // the request's own data (22 data exception, 23 integrity constraint) or its locked key
  private static boolean isItemState(String state) {
    return state.startsWith("22") || state.startsWith("23") || LOCK_TIMEOUT.equals(state);
  }

  /** The first PostgreSQL error in the cause chain, null if none. */
  static PgException pgCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PgException pg) {
        return pg;
      }
      if (t.getCause() == t) {
        return null;
      }
    }
    return null;
  }

  /**
   * Whether a failure outside the writer is the store's, not the request's (connection refused or
   * closed, pool exhausted, any SQLSTATE outside classes 22 and 23): the caller should retry later.
   */
  public static boolean isStoreUnavailable(Throwable failure) {
    String state = sqlState(failure);
    if (state != null) {
      return !state.startsWith("22") && !state.startsWith("23");
    }
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof VertxException
          || t instanceof java.net.ConnectException
          || t instanceof java.nio.channels.ClosedChannelException
          || t instanceof TransientStoreException
          || t instanceof StoreRefusedException
          || isTimeout(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The SQLSTATE the server answered, from the reactive client's own error or from Hibernate
   * Reactive's translation of it (a JDBC-style exception carrying the same state); null if none.
   */
  static String sqlState(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      String state =
          t instanceof PgException pg
              ? pg.getSqlState()
              : t instanceof org.hibernate.JDBCException jdbc
                  ? jdbc.getSQLState()
                  : t instanceof java.sql.SQLException sql ? sql.getSQLState() : null;
      if (state != null) {
        return state;
      }
    }
    return null;
  }

  // the pool's bounded wait for a connection, as Hibernate Reactive reports it: nothing was sent
  private static boolean isTimeout(Throwable t) {
    return t instanceof NoStackTraceThrowable && "Timeout".equals(t.getMessage());
  }

  /** The pool gave no connection within its acquisition timeout. */
  public static boolean isPoolExhausted(Throwable failure) {
    return failure instanceof VertxException
        && failure.getMessage() != null
        && failure.getMessage().startsWith("Timeout waiting for connection");
  }

  /**
   * Whether a failure concerns individual items (their data or their locked key), not the store.
   */
  public static boolean isDataError(Throwable failure) {
    return failure instanceof StoreDataException;
  }

  /** An error the server reported for the data of a statement: not transient, not ambiguous. */
  public static final class StoreDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String sqlState;

    StoreDataException(String sqlState, String message, Throwable cause) {
      super(message, cause);
      this.sqlState = sqlState;
    }

    public String sqlState() {
      return sqlState;
    }

    /** The item's key was locked by an unfinished transaction past the writer's lock_timeout. */
    public boolean lockTimeout() {
      return LOCK_TIMEOUT.equals(sqlState);
    }
  }

  /**
   * The server refused the transaction for a reason that is not the request's: permissions, a
   * read-only standby, schema drift, authentication, internal or I/O errors. Nothing was committed.
   */
  public static final class StoreRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String sqlState;

    StoreRefusedException(String sqlState, PgException cause) {
      super("the store refused the transaction: SQL state " + sqlState, cause);
      this.sqlState = sqlState;
    }

    public String sqlState() {
      return sqlState;
    }
  }
}
