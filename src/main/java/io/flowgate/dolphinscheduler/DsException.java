package io.flowgate.dolphinscheduler;

/**
 * A refusal answered as DolphinScheduler answers it: HTTP 200 with DS's code and message. {@code
 * detail} says in Flowgate's words what exactly was wrong (DS's own message often does not).
 */
public final class DsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final DsStatus status;
  private final transient Object[] args;
  private final String detail;
  private final boolean detailInMsg;

  public DsException(DsStatus status, String detail, Object... args) {
    this(false, status, detail, args);
  }

  private DsException(boolean detailInMsg, DsStatus status, String detail, Object[] args) {
    super(status + ": " + detail, null, false, false);
    this.status = status;
    this.args = args;
    this.detail = detail;
    this.detailInMsg = detailInMsg;
  }

  /**
   * A refusal whose DS message has no argument to name the cause (such as 50029 "import process
   * definition error"): the message is DS's text followed by {@code detail}.
   */
  public static DsException naming(DsStatus status, String detail) {
    return new DsException(true, status, detail, new Object[0]);
  }

  /** A known parameter whose value Flowgate cannot honour: 10001 naming parameter and value. */
  public static DsException refused(String name, String value, String why) {
    return new DsException(
        DsStatus.REQUEST_PARAMS_NOT_VALID_ERROR,
        name + "=" + value + ": " + why,
        name + "=" + value);
  }

  /** A parameter Spring could not bind (missing, wrong type): DS's handler answers 50014. */
  public static DsException unbound(String detail) {
    return new DsException(DsStatus.START_PROCESS_INSTANCE_ERROR, detail);
  }

  public DsStatus status() {
    return status;
  }

  public String msg() {
    return msg(false);
  }

  /** DS's message, in Chinese when the client asked for it. */
  public String msg(boolean chinese) {
    String text = status.localized(chinese, args);
    return detailInMsg ? text + ": " + detail : text;
  }

  public String detail() {
    return detail;
  }
}
