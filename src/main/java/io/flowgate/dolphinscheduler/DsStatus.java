package io.flowgate.dolphinscheduler;

import java.text.MessageFormat;
import java.util.Locale;

/**
 * The DolphinScheduler {@code Status} codes Flowgate answers, with DS's English text (as in
 * dolphinscheduler-api/.../api/enums/Status.java at 3.1.9 and 3.2.2; the 3.2.2 line is given).
 */
public enum DsStatus {
  SUCCESS(0, "success"), // line 30
  INTERNAL_SERVER_ERROR_ARGS(10000, "Internal Server Error: {0}"), // line 32
  REQUEST_PARAMS_NOT_VALID_ERROR(10001, "request parameter {0} is not valid"), // line 34
  TASK_TIMEOUT_PARAMS_ERROR(10002, "task timeout parameter is not valid"), // line 35
  TENANT_NOT_EXIST(10017, "tenant [{0}] not exists"), // line 48 (3.1.9: "tenant not exists")
  USER_LOGIN_FAILURE(10043, "user login failure"), // line 74
  QUERY_PROCESS_INSTANCE_LIST_PAGING_ERROR(
      10113, "query process instance list paging error"), // line 145
  QUERY_PROCESS_INSTANCE_BY_ID_ERROR(10116, "query process instance by id error"), // line 148
  PROJECT_NOT_EXIST(10190, "This project was not found. Please refresh page."), // line 245
  START_NODE_NOT_EXIST_IN_LAST_PROCESS(
      10207, "this node {0} does not exist in the latest process definition"), // line 272
  USER_NO_OPERATION_PROJECT_PERM(30002, "user {0} is not has project {1} permission"), // line 329
  PROCESS_INSTANCE_NOT_EXIST(50001, "process instance {0} does not exist"), // line 333
  PROCESS_DEFINE_NOT_EXIST(50003, "process definition {0} does not exist"), // line 335
  PROCESS_DEFINE_NOT_RELEASE(
      50004, "process definition {0} process version {1} not online"), // line 336
  START_PROCESS_INSTANCE_ERROR(50014, "start process instance error"), // line 353
  IMPORT_PROCESS_DEFINE_ERROR(50029, "import process definition error"), // line 377
  TASK_PARALLELISM_PARAMS_ERROR(50080, "task parallelism parameter is not valid"), // line 429
  TASK_COMPLEMENT_DATA_DATE_ERROR(
      50081, "The range of date for complementing date is not valid"), // line 430
  SCHEDULE_TIME_NUMBER_EXCEED(1400003, "The number of complement dates exceed 100."); // line 574

  private final int code;
  private final String pattern;

  DsStatus(int code, String pattern) {
    this.code = code;
    this.pattern = pattern;
  }

  public int code() {
    return code;
  }

  /** The message with its arguments filled in as DS's {@code MessageFormat} does. */
  public String message(Object... args) {
    return new MessageFormat(pattern, Locale.ROOT).format(args);
  }
}
