package io.flowgate.dolphinscheduler;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.flowgate.definition.SafeText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds start-process-instance as Spring binds DS's controller: required parameters, enum names
 * (trimmed, case-sensitive), numbers, defaults for absent or empty values. What Spring cannot bind
 * DS answers 50014 (ApiExceptionHandler 3.2.2 line 45: the method's {@code @ApiException}).
 */
final class DsStartParser {

  static final int MAX_TASK_TIMEOUT = 24 * 3600; // common/constants/Constants.java 3.2.2 line 286

  private static final Set<String> FAILURE_STRATEGIES = Set.of("END", "CONTINUE");
  private static final Set<String> DEPEND_TYPES = Set.of("TASK_ONLY", "TASK_PRE", "TASK_POST");
  // common/enums/CommandType.java: every name Spring would bind
  private static final Set<String> COMMAND_TYPES =
      Set.of(
          "START_PROCESS",
          "START_CURRENT_TASK_PROCESS",
          "RECOVER_TOLERANCE_FAULT_PROCESS",
          "RECOVER_SUSPENDED_PROCESS",
          "START_FAILURE_TASK_PROCESS",
          "COMPLEMENT_DATA",
          "SCHEDULER",
          "REPEAT_RUNNING",
          "PAUSE",
          "STOP",
          "RECOVER_WAITING_THREAD",
          "RECOVER_SERIAL_WAIT",
          "EXECUTE_TASK",
          "DYNAMIC_GENERATION");
  private static final Set<String> WARNING_TYPES = Set.of("NONE", "SUCCESS", "FAILURE", "ALL");
  private static final Set<String> RUN_MODES = Set.of("RUN_MODE_SERIAL", "RUN_MODE_PARALLEL");
  private static final Set<String> PRIORITIES =
      Set.of("HIGHEST", "HIGH", "MEDIUM", "LOW", "LOWEST");
  private static final Set<String> COMPLEMENT_MODES = Set.of("OFF_MODE", "ALL_DEPENDENT");
  private static final Set<String> ORDERS = Set.of("DESC_ORDER", "ASC_ORDER");
  private static final Set<String> TRUE = Set.of("true", "on", "yes", "1");
  private static final Set<String> FALSE = Set.of("false", "off", "no", "0");
  private static final JsonFactory JSON =
      new JsonFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private DsStartParser() {}

  static DsStart parse(DsParams p) {
    long code = requiredLong(p, "processDefinitionCode");
    String scheduleTime = p.get("scheduleTime");
    if (scheduleTime == null) {
      throw DsException.unbound("scheduleTime: is required");
    }
    Integer timeout = optionalInt(p, "timeout");
    return new DsStart(
        code,
        scheduleTime,
        requiredEnum(p, "failureStrategy", FAILURE_STRATEGIES),
        startNodes(p.get("startNodeList")),
        optionalEnum(p, "taskDependType", DEPEND_TYPES),
        optionalEnum(p, "execType", COMMAND_TYPES),
        requiredEnum(p, "warningType", WARNING_TYPES),
        optionalInt(p, "warningGroupId"),
        optionalEnum(p, "runMode", RUN_MODES),
        optionalEnum(p, "processInstancePriority", PRIORITIES),
        orDefault(p, "workerGroup", "default"),
        orDefault(p, "tenantCode", "default"),
        p.nonEmpty("environmentCode") == null ? -1 : requiredLong(p, "environmentCode"),
        timeout == null ? MAX_TASK_TIMEOUT : timeout,
        startParams(p.get("startParams")),
        optionalInt(p, "expectedParallelismNumber"),
        p.nonEmpty("dryRun") == null ? 0 : optionalInt(p, "dryRun"),
        p.nonEmpty("testFlag") == null ? 0 : optionalInt(p, "testFlag"),
        optionalEnum(p, "complementDependentMode", COMPLEMENT_MODES),
        optionalInt(p, "version"),
        bool(p, "allLevelDependent"),
        optionalEnum(p, "executionOrder", ORDERS));
  }

  // Spring's @RequestParam String: "1,2" as sent; DS splits on commas (ExecutorServiceImpl 3.2.2
  // line 570); an empty list means the whole DAG
  private static List<String> startNodes(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    out.addAll(Arrays.asList(text.split(",", -1)));
    return List.copyOf(out);
  }

  private static long requiredLong(DsParams p, String name) {
    String value = p.nonEmpty(name);
    if (value == null) {
      throw DsException.unbound(name + ": is required");
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw DsException.unbound(name + ": must be a 64-bit integer");
    }
  }

  private static Integer optionalInt(DsParams p, String name) {
    String value = p.nonEmpty(name);
    if (value == null) {
      return null;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw DsException.unbound(name + ": must be a 32-bit integer");
    }
  }

  private static String requiredEnum(DsParams p, String name, Set<String> names) {
    String value = optionalEnum(p, name, names);
    if (value == null) {
      throw DsException.unbound(name + ": is required");
    }
    return value;
  }

  private static String optionalEnum(DsParams p, String name, Set<String> names) {
    String value = p.nonEmpty(name);
    if (value == null || value.trim().isEmpty()) {
      return null;
    }
    if (!names.contains(value.trim())) {
      throw DsException.unbound(name + ": one of " + names);
    }
    return value.trim();
  }

  private static String orDefault(DsParams p, String name, String fallback) {
    String value = p.nonEmpty(name);
    return value == null ? fallback : value;
  }

  private static boolean bool(DsParams p, String name) {
    String value = p.nonEmpty(name);
    if (value == null) {
      return false;
    }
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    if (TRUE.contains(v)) {
      return true;
    }
    if (FALSE.contains(v)) {
      return false;
    }
    throw DsException.unbound(name + ": must be true or false");
  }

  // DS reads startParams with JSONUtils.toMap (a JSON object of strings); each value is kept as
  // written, so 1e400 stays "1e400"
  static Map<String, String> startParams(String text) {
    if (text == null || text.isBlank()) {
      return Map.of();
    }
    try (JsonParser parser = JSON.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw DsException.refused("startParams", "(not shown)", "must be a JSON object");
      }
      Map<String, String> params = new LinkedHashMap<>();
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == null || !value.isScalarValue() || value == JsonToken.VALUE_NULL) {
          throw DsException.refused(
              "startParams." + SafeText.shown(name), "(not shown)", "must be a scalar");
        }
        params.put(name, parser.getText());
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw DsException.refused("startParams", "(not shown)", "not valid JSON");
      }
      return params;
    } catch (IOException e) {
      throw DsException.refused("startParams", "(not shown)", "not valid JSON");
    }
  }
}
