package io.flowgate.dolphinscheduler;

import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;

/**
 * Flowgate's errors on the DS API. A business error becomes DS's code (HTTP 200); overload and
 * store trouble stay FlowgateExceptions, answered 429/503 with Retry-After: the one deliberate
 * difference from DS, since those answers are what make a retry safe.
 */
final class DsErrors {

  private DsErrors() {}

  static RuntimeException of(FlowgateException e) {
    if (e.code().retryable()) {
      return e;
    }
    String detail = e.getMessage();
    return switch (e.code()) {
      case VALIDATION_FAILED, BAD_REQUEST -> {
        String field = detail == null ? "" : detail.split(":", 2)[0];
        yield new DsException(DsStatus.REQUEST_PARAMS_NOT_VALID_ERROR, detail, field);
      }
      case IDEMPOTENCY_KEY_REUSED ->
          new DsException(DsStatus.REQUEST_PARAMS_NOT_VALID_ERROR, detail, "Idempotency-Key");
      case PROJECT_ACCESS_DENIED, FORBIDDEN ->
          new DsException(DsStatus.USER_NO_OPERATION_PROJECT_PERM, detail, "token", "");
      case WORKFLOW_NOT_FOUND, WORKFLOW_NOT_RELEASED, PROJECT_NOT_FOUND ->
          DsException.unbound(detail);
      default -> new DsException(DsStatus.START_PROCESS_INSTANCE_ERROR, e.code() + ": " + detail);
    };
  }

  /** The code a FlowgateException has on the DS API (for errors raised outside DS code). */
  static int code(ErrorCode code) {
    return switch (code) {
      case UNAUTHENTICATED -> DsStatus.USER_LOGIN_FAILURE.code();
      case VALIDATION_FAILED, BAD_REQUEST, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE ->
          DsStatus.REQUEST_PARAMS_NOT_VALID_ERROR.code();
      case PROJECT_ACCESS_DENIED, FORBIDDEN -> DsStatus.USER_NO_OPERATION_PROJECT_PERM.code();
      case INSTANCE_NOT_FOUND -> DsStatus.PROCESS_INSTANCE_NOT_EXIST.code();
      default -> DsStatus.START_PROCESS_INSTANCE_ERROR.code();
    };
  }
}
