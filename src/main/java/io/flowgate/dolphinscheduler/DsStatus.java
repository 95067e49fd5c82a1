package io.flowgate.dolphinscheduler;

import java.text.MessageFormat;
import java.util.Locale;

/**
 * The DolphinScheduler {@code Status} codes Flowgate answers, with DS's English and Chinese texts
 * (as in dolphinscheduler-api/.../api/enums/Status.java at 3.1.9 and 3.2.2; the 3.2.2 line is
 * given).
 */
public enum DsStatus {
  SUCCESS(0, "success", "成功"), // line 30
  INTERNAL_SERVER_ERROR_ARGS(10000, "Internal Server Error: {0}", "服务端异常: {0}"), // line 32
  REQUEST_PARAMS_NOT_VALID_ERROR(
      10001, "request parameter {0} is not valid", "请求参数[{0}]无效"), // line 34
  TASK_TIMEOUT_PARAMS_ERROR(10002, "task timeout parameter is not valid", "任务超时参数无效"), // line 35
  TENANT_NOT_EXIST(
      10017, "tenant [{0}] not exists", "租户[{0}]不存在"), // line 48 (3.1.9: "tenant not exists")
  USER_LOGIN_FAILURE(10043, "user login failure", "用户登录失败"), // line 74
  QUERY_PROCESS_INSTANCE_LIST_PAGING_ERROR(
      10113, "query process instance list paging error", "分页查询工作流实例列表错误"), // line 145
  QUERY_PROCESS_INSTANCE_BY_ID_ERROR(
      10116, "query process instance by id error", "查询工作流实例错误"), // line 148
  PROJECT_NOT_EXIST(
      10190, "This project was not found. Please refresh page.", "该项目不存在,请刷新页面"), // line 245
  START_NODE_NOT_EXIST_IN_LAST_PROCESS(
      10207,
      "this node {0} does not exist in the latest process definition",
      "该节点 {0} 不存在于最新的流程定义中"), // line 272
  USER_NO_OPERATION_PROJECT_PERM(
      30002, "user {0} is not has project {1} permission", "当前用户[{0}]没有[{1}]项目的操作权限"), // line 329
  PROCESS_DEFINITION_NAME_EXIST(
      10168, "process definition name {0} already exists", "工作流定义名称[{0}]已存在"), // line 228
  PROCESS_INSTANCE_NOT_EXIST(
      50001, "process instance {0} does not exist", "工作流实例[{0}]不存在"), // line 333
  PROCESS_DEFINE_NOT_EXIST(
      50003, "process definition {0} does not exist", "工作流定义[{0}]不存在"), // line 335
  PROCESS_DEFINE_NOT_RELEASE(
      50004,
      "process definition {0} process version {1} not online",
      "工作流定义[{0}] 工作流版本[{1}]不是上线状态"), // line 336
  START_PROCESS_INSTANCE_ERROR(50014, "start process instance error", "运行工作流实例错误"), // line 353
  DATA_IS_NULL(50018, "data {0} is null", "数据[{0}]不能为空"), // line 361
  IMPORT_PROCESS_DEFINE_ERROR(50029, "import process definition error", "导入工作流定义错误"), // line 377
  TASK_PARALLELISM_PARAMS_ERROR(
      50080, "task parallelism parameter is not valid", "任务并行度参数无效"), // line 429
  TASK_COMPLEMENT_DATA_DATE_ERROR(
      50081, "The range of date for complementing date is not valid", "补数选择的日期范围无效"), // line 430
  SCHEDULE_TIME_NUMBER_EXCEED(
      1400003, "The number of complement dates exceed 100.", "补数日期个数超过100"); // line 574

  private final int code;
  private final String pattern;
  private final String zhPattern;

  DsStatus(int code, String pattern, String zhPattern) {
    this.code = code;
    this.pattern = pattern;
    this.zhPattern = zhPattern;
  }

  public int code() {
    return code;
  }

  /** The message with its arguments filled in as DS's {@code MessageFormat} does. */
  public String message(Object... args) {
    return localized(false, args);
  }

  /** The message in DS's Chinese text when {@code chinese} (Status.getMsg, 3.2.2 line 614). */
  public String localized(boolean chinese, Object... args) {
    return new MessageFormat(chinese ? zhPattern : pattern, Locale.ROOT).format(args);
  }
}
