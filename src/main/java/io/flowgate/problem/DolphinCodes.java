package io.flowgate.problem;

/**
 * DolphinScheduler's status codes for errors raised before a DS resource runs (authentication, rate
 * limit, unknown path or method); the DS resources in {@code io.flowgate.dolphinscheduler} answer
 * their own errors with DS's exact codes and messages.
 */
public final class DolphinCodes {
  public static final int SUCCESS = 0;
  public static final int REQUEST_PARAMS_NOT_VALID_ERROR = 10001;
  public static final int USER_LOGIN_FAILURE = 10043;
  public static final int USER_NO_OPERATION_PROJECT_PERM = 30002;
  public static final int PROCESS_INSTANCE_NOT_EXIST = 50001;
  public static final int PROCESS_DEFINE_NOT_EXIST = 50003;
  public static final int PROCESS_DEFINE_NOT_RELEASE = 50004;
  public static final int START_PROCESS_INSTANCE_ERROR = 50014;

  private DolphinCodes() {}

  /** DS's English text for the code (dolphinscheduler-api .../enums/Status.java, 3.2.2). */
  public static String message(ErrorCode code) {
    return switch (of(code)) {
      case REQUEST_PARAMS_NOT_VALID_ERROR -> "request parameter is not valid";
      case USER_LOGIN_FAILURE -> "user login failure";
      case USER_NO_OPERATION_PROJECT_PERM -> "user is not has project permission";
      case PROCESS_INSTANCE_NOT_EXIST -> "process instance does not exist";
      case PROCESS_DEFINE_NOT_EXIST -> "process definition does not exist";
      case PROCESS_DEFINE_NOT_RELEASE -> "process definition not online";
      default -> "start process instance error";
    };
  }

  public static int of(ErrorCode code) {
    return switch (code) {
      case BAD_REQUEST, VALIDATION_FAILED, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, NOT_FOUND ->
          REQUEST_PARAMS_NOT_VALID_ERROR;
      case UNAUTHENTICATED -> USER_LOGIN_FAILURE;
      case PROJECT_ACCESS_DENIED, FORBIDDEN -> USER_NO_OPERATION_PROJECT_PERM;
      case PROJECT_NOT_FOUND, WORKFLOW_NOT_FOUND -> PROCESS_DEFINE_NOT_EXIST;
      case WORKFLOW_NOT_RELEASED -> PROCESS_DEFINE_NOT_RELEASE;
      case INSTANCE_NOT_FOUND -> PROCESS_INSTANCE_NOT_EXIST;
      default -> START_PROCESS_INSTANCE_ERROR;
    };
  }
}
