package io.flowgate.observability;

/** A definitive error answer: becomes problem+json with its code (and Retry-After when due). */
public class FlowgateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final long retryAfterSeconds;

  public FlowgateException(ErrorCode code, String detail) {
    this(code, detail, code.retryable() ? 1 : 0);
  }

  public FlowgateException(ErrorCode code, String detail, long retryAfterSeconds) {
    super(detail, null, false, false);
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public ErrorCode code() {
    return code;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
