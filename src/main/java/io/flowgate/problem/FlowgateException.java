package io.flowgate.problem;

/** A definitive error answer: becomes problem+json with its code (and Retry-After when due). */
public class FlowgateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final long retryAfterSeconds;
  private final String idempotencyKey;

  public FlowgateException(ErrorCode code, String detail) {
    this(code, detail, code.retryable() ? 1 : 0);
  }

  public FlowgateException(ErrorCode code, String detail, long retryAfterSeconds) {
    this(code, detail, retryAfterSeconds, null);
  }

  private FlowgateException(
      ErrorCode code, String detail, long retryAfterSeconds, String idempotencyKey) {
    super(detail, null, false, false);
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
    this.idempotencyKey = idempotencyKey;
  }

  /** The same answer, naming the Idempotency-Key the start used (sent or generated). */
  public FlowgateException withIdempotencyKey(String key) {
    return new FlowgateException(code, getMessage(), retryAfterSeconds, key);
  }

  /** The Idempotency-Key of the start this answers, null when there is none to name. */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  public ErrorCode code() {
    return code;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
