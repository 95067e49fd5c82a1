package io.flowgate.store;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** Sorts store failures into transient (retry), ambiguous (maybe committed) and data errors. */
public final class StoreFailures {

  private static final Set<String> TRANSIENT_STATES =
      Set.of(
          "40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03", "53000", "53100", "53200",
          "53300");

  private StoreFailures() {}

  /** A failure as thrown by the reactive client, mapped for the fault-tolerance boundary. */
  public static RuntimeException classify(Throwable failure) {
    if (failure instanceof TransientStoreException transientFailure) {
      return transientFailure;
    }
    if (failure instanceof PgException pg) {
      String state = pg.getSqlState();
      if (state != null && (TRANSIENT_STATES.contains(state) || state.startsWith("08"))) {
        return new TransientStoreException("transient SQL state " + state, failure, false);
      }
      return new StoreDataException(pg.getSqlState(), pg.getErrorMessage(), failure);
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

  /**
   * Whether a failure outside the writer means the store cannot be reached right now (connection
   * refused or closed, pool exhausted, server shutting down): the caller should retry later.
   */
  public static boolean isStoreUnavailable(Throwable failure) {
    if (failure instanceof PgException pg) {
      String state = pg.getSqlState();
      return state != null && (TRANSIENT_STATES.contains(state) || state.startsWith("08"));
    }
    return failure instanceof VertxException
        || failure instanceof java.net.ConnectException
        || failure instanceof TransientStoreException;
  }

  /** The pool gave no connection within its acquisition timeout. */
  public static boolean isPoolExhausted(Throwable failure) {
    return failure instanceof VertxException
        && failure.getMessage() != null
        && failure.getMessage().startsWith("Timeout waiting for connection");
  }

  /** Whether a failure is a data error that concerns individual items, not the store. */
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
  }
}
