package io.flowgate.dolphinscheduler;

import io.flowgate.definition.WorkflowSpec;
import io.flowgate.definition.WorkflowSpec.EdgeSpec;
import io.flowgate.definition.WorkflowSpec.TaskSpec;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A DolphinScheduler definition export (a JSON array of {@code DagDataSchedule}: {@code
 * processDefinition}, {@code processTaskRelationList}, {@code taskDefinitionList}, {@code
 * schedule}; ProcessDefinitionServiceImpl 3.2.2 lines 1151-1161 and 1121-1128, the same at 3.1.9)
 * read as one Flowgate workflow that keeps DS's workflow and task codes. Everything the export says
 * is either carried over with DS's meaning or refused by name; nothing is dropped.
 *
 * <p>Mapped: task type HTTP (the only DS type Flowgate runs), {@code failRetryTimes}, {@code
 * failRetryInterval} (minutes), the task timeout with strategy FAILED, the HTTP check (status 200
 * by default, or the custom status), connect and socket timeouts (together the bound of one
 * attempt), the DAG edges, and IN/VARCHAR global params.
 */
final class DsExport {

  /** DS's TaskTimeoutStrategy FAILED: the task fails at its timeout, as Flowgate's does. */
  private static final String TIMEOUT_FAILS = "FAILED";

  private static final Set<String> DS_HTTP_METHODS = Set.of("GET", "POST", "HEAD", "PUT", "DELETE");

  private DsExport() {}

  /** The one workflow of an export file; a DsException naming what cannot be honoured. */
  static WorkflowSpec read(byte[] file) {
    JsonArray all = parse(file);
    if (all.size() != 1) {
      throw refused(
          "the file holds "
              + all.size()
              + " workflows; Flowgate imports one per request, so that a refusal writes nothing"
              + " (split DS's batch export)");
    }
    if (!(all.getValue(0) instanceof JsonObject dag)) {
      throw new DsException(
          DsStatus.DATA_IS_NULL, "the entry is not an object", "ProcessDefinition");
    }
    return workflow(dag);
  }

  // JSONUtils.toList answers an empty list for text that is not a JSON array, and the import
  // then refuses it as DATA_IS_NULL fileContent (3.2.2 lines 1185-1189)
  private static JsonArray parse(byte[] file) {
    try {
      Object value = new JsonArray(new String(file, StandardCharsets.UTF_8));
      JsonArray all = (JsonArray) value;
      if (!all.isEmpty()) {
        return all;
      }
    } catch (DecodeException | ClassCastException e) {
      // falls through to DS's answer
    }
    throw new DsException(
        DsStatus.DATA_IS_NULL, "the file is not a non-empty JSON array", "fileContent");
  }

  // checkImportanceParams (3.2.2 lines 1546-1563)
  private static WorkflowSpec workflow(JsonObject dag) {
    JsonObject pd = object(dag, "processDefinition");
    JsonArray tasks = array(dag, "taskDefinitionList");
    JsonArray relations = array(dag, "processTaskRelationList");
    if (pd == null) {
      throw new DsException(DsStatus.DATA_IS_NULL, "processDefinition", "ProcessDefinition");
    }
    if (tasks == null || tasks.isEmpty()) {
      throw new DsException(DsStatus.DATA_IS_NULL, "taskDefinitionList", "TaskDefinitionList");
    }
    if (relations == null || relations.isEmpty()) {
      throw new DsException(
          DsStatus.DATA_IS_NULL, "processTaskRelationList", "ProcessTaskRelationList");
    }
    if (dag.getValue("schedule") != null) {
      throw refused("schedule: Flowgate has no schedules; export without one or drop it");
    }
    Long code = longValue(pd, "code", "processDefinition.code");
    if (code == null || code <= 0) {
      throw refused("processDefinition.code must be a positive 64-bit integer");
    }
    checkDefinition(pd);
    List<TaskSpec> specs = new ArrayList<>();
    Set<String> codes = new LinkedHashSet<>();
    for (int i = 0; i < tasks.size(); i++) {
      if (!(tasks.getValue(i) instanceof JsonObject task)) {
        throw refused("taskDefinitionList[" + i + "] is not an object");
      }
      TaskSpec spec = task(i, task);
      codes.add(spec.code());
      specs.add(spec);
    }
    return new WorkflowSpec(
        pd.getValue("name") instanceof String name ? name : null,
        emptyToNull(pd.getValue("description")),
        specs,
        edges(relations, codes),
        globalParams(pd.getValue("globalParams")),
        code);
  }

  private static void checkDefinition(JsonObject pd) {
    Object timeout = pd.getValue("timeout");
    if (timeout != null && !Objects.equals(number(timeout), 0L)) {
      throw refused(
          "processDefinition.timeout="
              + timeout
              + ": Flowgate has no workflow timeout (set task timeouts instead)");
    }
    Object execution = pd.getValue("executionType");
    if (execution != null && !"PARALLEL".equals(execution)) {
      throw refused(
          "processDefinition.executionType="
              + execution
              + ": Flowgate runs instances of a workflow in parallel only");
    }
  }

  private static TaskSpec task(int index, JsonObject t) {
    Long code = longValue(t, "code", "taskDefinitionList[" + index + "].code");
    if (code == null || code <= 0) {
      throw refused("taskDefinitionList[" + index + "].code must be a positive 64-bit integer");
    }
    String name = t.getValue("name") instanceof String n ? n : String.valueOf(code);
    String where = "task '" + name + "'";
    String type = String.valueOf(t.getValue("taskType"));
    if (!"HTTP".equals(type)) {
      throw refused(where + " has type " + type + ", which Flowgate does not run (HTTP only)");
    }
    expect(t, "flag", where, "YES", null);
    expect(t, "isCache", where, "NO", null);
    expect(t, "taskPriority", where, "MEDIUM", null);
    expect(t, "workerGroup", where, "default", null);
    expect(t, "taskExecuteType", where, "BATCH", null);
    expectNumber(t, "environmentCode", where, -1L, 0L);
    expectNumber(t, "delayTime", where, 0L, 0L);
    expectNumber(t, "taskGroupId", where, 0L, 0L);
    expectNumber(t, "cpuQuota", where, -1L, -1L);
    expectNumber(t, "memoryMax", where, -1L, -1L);
    Object resources = t.getValue("resourceIds");
    if (resources != null && !"".equals(resources)) {
      throw refused(where + " has resourceIds=" + resources + "; Flowgate has no resource centre");
    }
    Integer retries = intValue(t, "failRetryTimes", where);
    Integer retryMinutes = intValue(t, "failRetryInterval", where);
    Integer timeoutSeconds = taskTimeout(t, where);
    Map<String, Object> params = new LinkedHashMap<>();
    Integer attemptSeconds = http(t.getValue("taskParams"), where, params);
    if (timeoutSeconds == null || attemptSeconds < timeoutSeconds) {
      timeoutSeconds = attemptSeconds;
    }
    return new TaskSpec(
        String.valueOf(code),
        name,
        "HTTP",
        params,
        retries == null ? 0 : retries,
        retryMinutes == null || retries == null || retries == 0 ? null : retryMinutes * 60,
        timeoutSeconds);
  }

  // timeoutFlag OPEN with timeout minutes; only strategy FAILED is what Flowgate does
  private static Integer taskTimeout(JsonObject t, String where) {
    if (!"OPEN".equals(t.getValue("timeoutFlag"))) {
      return null;
    }
    Object strategy = t.getValue("timeoutNotifyStrategy");
    if (!TIMEOUT_FAILS.equals(strategy)) {
      throw refused(
          where
              + " has timeoutNotifyStrategy="
              + strategy
              + "; Flowgate sends no alerts and only fails a task at its timeout (FAILED)");
    }
    Integer minutes = intValue(t, "timeout", where);
    if (minutes == null || minutes <= 0) {
      throw refused(where + " has timeoutFlag=OPEN without a positive timeout");
    }
    return minutes * 60;
  }

  // HttpParameters 3.2.2 lines 36-73 (3.1.9 has no httpBody); HttpTask.validResponse lines
  // 195-225; answers the bound of one attempt in seconds
  private static Integer http(Object raw, String where, Map<String, Object> out) {
    JsonObject p = raw instanceof JsonObject o ? o : parseObject(raw, where);
    for (String key : p.fieldNames()) {
      if (!Set.of(
              "url",
              "httpMethod",
              "httpParams",
              "httpBody",
              "httpCheckCondition",
              "condition",
              "connectTimeout",
              "socketTimeout",
              "localParams",
              "resourceList")
          .contains(key)) {
        throw refused(where + " has HTTP parameter " + key + ", which Flowgate does not know");
      }
    }
    notEmpty(p, "localParams", where, "Flowgate has no task-local parameters");
    notEmpty(p, "resourceList", where, "Flowgate has no resource centre");
    notEmpty(p, "httpParams", where, "Flowgate sends no extra query, body or header parameters");
    Object body = p.getValue("httpBody");
    if (body != null && !"".equals(body)) {
      throw refused(
          where
              + " has an httpBody; Flowgate sends a body without DS's application/json content"
              + " type, so the request would differ");
    }
    String url = p.getValue("url") instanceof String u ? u : null;
    if (url != null && url.contains("${")) {
      throw refused(where + " has a ${...} placeholder in its url; Flowgate does not substitute");
    }
    Object method = p.getValue("httpMethod");
    if (!DS_HTTP_METHODS.contains(String.valueOf(method))) {
      throw refused(where + " has httpMethod=" + method + " (GET, POST, HEAD, PUT, DELETE)");
    }
    out.put("method", method);
    out.put("url", url);
    Object check = p.getValue("httpCheckCondition");
    if (check == null || "STATUS_CODE_DEFAULT".equals(check)) {
      out.put("expectStatus", 200);
    } else if ("STATUS_CODE_CUSTOM".equals(check)) {
      Long status = number(p.getValue("condition"));
      if (status == null) {
        throw refused(where + " has condition=" + p.getValue("condition") + "; not a status");
      }
      out.put("expectStatus", status.intValue());
    } else {
      throw refused(
          where + " has httpCheckCondition=" + check + "; Flowgate checks the status code only");
    }
    long connect = millis(p, "connectTimeout", where);
    long socket = millis(p, "socketTimeout", where);
    return (int) Math.max(1, (connect + socket + 999) / 1000);
  }

  private static JsonObject parseObject(Object raw, String where) {
    if (raw instanceof String text) {
      try {
        return new JsonObject(text);
      } catch (DecodeException e) {
        // answered below
      }
    }
    throw refused(where + " has taskParams that are not a JSON object");
  }

  private static long millis(JsonObject p, String key, String where) {
    Long ms = number(p.getValue(key));
    if (ms == null || ms <= 0) {
      throw refused(where + " has " + key + "=" + p.getValue(key) + "; must be positive (ms)");
    }
    return ms;
  }

  private static List<EdgeSpec> edges(JsonArray relations, Set<String> codes) {
    List<EdgeSpec> edges = new ArrayList<>();
    for (int i = 0; i < relations.size(); i++) {
      if (!(relations.getValue(i) instanceof JsonObject r)) {
        throw refused("processTaskRelationList[" + i + "] is not an object");
      }
      String where = "processTaskRelationList[" + i + "]";
      Object condition = r.getValue("conditionType");
      if (condition != null && !"NONE".equals(condition)) {
        throw refused(where + " has conditionType=" + condition + "; Flowgate has no conditions");
      }
      Long pre = longValue(r, "preTaskCode", where + ".preTaskCode");
      Long post = longValue(r, "postTaskCode", where + ".postTaskCode");
      if (post == null || !codes.contains(String.valueOf(post))) {
        throw refused(where + " has postTaskCode=" + post + ", which is no task of the file");
      }
      // preTaskCode 0: the post task has no predecessor (a root of the DAG)
      if (pre != null && pre != 0) {
        if (!codes.contains(String.valueOf(pre))) {
          throw refused(where + " has preTaskCode=" + pre + ", which is no task of the file");
        }
        edges.add(new EdgeSpec(String.valueOf(pre), String.valueOf(post)));
      }
    }
    return edges;
  }

  // ProcessDefinition.globalParams: a JSON array string of Property {prop, direct, type, value}
  private static Map<String, String> globalParams(Object raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || "".equals(raw)) {
      return out;
    }
    JsonArray list;
    try {
      list = raw instanceof JsonArray a ? a : new JsonArray(String.valueOf(raw));
    } catch (DecodeException | ClassCastException e) {
      throw refused("processDefinition.globalParams is not a JSON array");
    }
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject prop)) {
        throw refused("processDefinition.globalParams[" + i + "] is not an object");
      }
      String name = String.valueOf(prop.getValue("prop"));
      Object direct = prop.getValue("direct");
      Object type = prop.getValue("type");
      if ((direct != null && !"IN".equals(direct)) || (type != null && !"VARCHAR".equals(type))) {
        throw refused(
            "global param '"
                + name
                + "' is "
                + direct
                + "/"
                + type
                + "; Flowgate's global params are IN/VARCHAR");
      }
      Object value = prop.getValue("value");
      out.put(name, value == null ? "" : String.valueOf(value));
    }
    return out;
  }

  private static void expect(
      JsonObject t, String key, String where, String wanted, String alsoAccepted) {
    Object value = t.getValue(key);
    if (value != null && !wanted.equals(value) && !Objects.equals(alsoAccepted, value)) {
      throw refused(
          where + " has " + key + "=" + value + "; Flowgate supports " + wanted + " only");
    }
  }

  private static void expectNumber(JsonObject t, String key, String where, long a, long b) {
    Object value = t.getValue(key);
    Long n = value == null ? null : number(value);
    if (value != null && (n == null || (n != a && n != b))) {
      throw refused(where + " has " + key + "=" + value + "; Flowgate supports " + a + " only");
    }
  }

  private static void notEmpty(JsonObject p, String key, String where, String why) {
    Object value = p.getValue(key);
    if (value instanceof JsonArray a ? !a.isEmpty() : value != null) {
      throw refused(where + " has " + key + "; " + why);
    }
  }

  private static Integer intValue(JsonObject o, String key, String where) {
    Object value = o.getValue(key);
    Long n = number(value);
    if (value != null && (n == null || n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) {
      throw refused(where + " has " + key + "=" + value + "; not an integer");
    }
    return n == null ? null : n.intValue();
  }

  private static Long longValue(JsonObject o, String key, String field) {
    Object value = o.getValue(key);
    Long n = number(value);
    if (value != null && n == null) {
      throw refused(field + "=" + value + " is not a 64-bit integer");
    }
    return n;
  }

  private static Long number(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    if (value instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static String emptyToNull(Object value) {
    return value instanceof String s && !s.isEmpty() ? s : null;
  }

  private static JsonObject object(JsonObject o, String key) {
    return o.getValue(key) instanceof JsonObject v ? v : null;
  }

  private static JsonArray array(JsonObject o, String key) {
    return o.getValue(key) instanceof JsonArray v ? v : null;
  }

  static DsException refused(String detail) {
    return DsException.naming(DsStatus.IMPORT_PROCESS_DEFINE_ERROR, detail);
  }
}
