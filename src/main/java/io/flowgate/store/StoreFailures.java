package io.flowgate.store;

import io.vertx.pgclient.PgException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** Sorts store failures into transient (retry), ambiguous (maybe committed) and data errors. */
public final class StoreFailures {

  private static final Set<String> TRANSIENT_STATES =
      Set.of(
          "40001", "40P01", "55P03", "57P01", "57P02", "57P03", "53000", "53100", "53200", "53300");

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
    // the server answered nothing we can read: the connection dropped or the call timed out, so
    // the transaction may or may not have committed
    boolean ambiguous = !(failure instanceof java.net.ConnectException);
    String what =
        failure instanceof TimeoutException ? "timeout" : failure.getClass().getSimpleName();
    return new TransientStoreException("store call failed: " + what, failure, ambiguous);
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
