package io.flowgate.store;

/**
 * A store failure worth retrying: a dropped connection, a timeout, or a transient SQL state. {@link
 * #ambiguous()} is true when the transaction may have committed anyway.
 */
public class TransientStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean ambiguous;

  public TransientStoreException(String message, Throwable cause, boolean ambiguous) {
    super(message, cause);
    this.ambiguous = ambiguous;
  }

  public boolean ambiguous() {
    return ambiguous;
  }
}
