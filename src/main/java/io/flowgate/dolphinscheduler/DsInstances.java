package io.flowgate.dolphinscheduler;

import io.flowgate.store.DefinitionRow;
import io.flowgate.store.InstanceRow;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Instances in DS's {@code ProcessInstance} shape (dao/entity/ProcessInstance.java 3.2.2): DS state
 * names, dates as {@code yyyy-MM-dd HH:mm:ss} (UTC), {@code globalParams} as DS's JSON-array
 * string, {@code dagData} of the definition version.
 */
@ApplicationScoped
public class DsInstances {

  static final DateTimeFormatter DS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter NAME_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS");

  private static final String COLUMNS =
      "i.id, i.project_code, i.workflow_code, i.workflow_version, i.state, i.priority,"
          + " i.failure_strategy, i.params, i.schedule_time, i.worker_group, i.dry_run,"
          + " i.idempotency_key, i.trace_parent, i.created_at, i.started_at, i.ended_at,"
          + " i.lease_owner, i.claim_count, i.start_nodes, i.test_flag, i.trigger_code,"
          + " i.complement_of, w.name as workflow_name, v.global_params, v.dag";
  private static final String FROM =
      " from workflow_instance i join workflow w on w.code = i.workflow_code"
          + " join workflow_version v on v.workflow_code = i.workflow_code"
          + " and v.version = i.workflow_version";

  private final Pool pool;

  public DsInstances(Pool pool) {
    this.pool = pool;
  }

  /** The instance row (any project), or null. */
  public Uni<Map<String, Object>> byId(long id, boolean withDag) {
    return pool.preparedQuery("select " + COLUMNS + FROM + " where i.id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : shape(rows.iterator().next(), withDag));
  }

  /** The instances of a 3.2 trigger code, oldest first. */
  public Uni<List<Map<String, Object>>> byTrigger(long projectCode, long triggerCode) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + FROM
                + " where i.project_code = $1 and (i.trigger_code = $2"
                + " or (i.trigger_code is null and i.id = $2 - $3)) order by i.id")
        .execute(Tuple.of(projectCode, triggerCode, DsStartService.TRIGGER_BASE))
        .map(
            rows -> {
              List<Map<String, Object>> out = new ArrayList<>();
              rows.forEach(r -> out.add(shape(r, false)));
              return out;
            });
  }

  /** One page of a project's instances, newest first, with the total. */
  public record Page(List<Map<String, Object>> items, long total) {}

  public Uni<Page> list(
      long projectCode,
      long definitionCode,
      String search,
      String state,
      OffsetDateTime from,
      OffsetDateTime to,
      int pageNo,
      int pageSize) {
    String where =
        " where i.project_code = $1 and ($2::bigint = 0 or i.workflow_code = $2)"
            + " and ($3::text is null or strpos(lower(w.name), lower($3)) > 0)"
            + " and ($4::text is null or i.state = $4)"
            + " and ($5::timestamptz is null or coalesce(i.started_at, i.created_at) >= $5)"
            + " and ($6::timestamptz is null or coalesce(i.started_at, i.created_at) <= $6)";
    Tuple args =
        Tuple.tuple()
            .addLong(projectCode)
            .addLong(definitionCode)
            .addString(search)
            .addString(state)
            .addOffsetDateTime(from)
            .addOffsetDateTime(to);
    long offset = (long) (pageNo - 1) * pageSize;
    Uni<Long> total =
        pool.preparedQuery("select count(*) as n" + FROM + where)
            .execute(args)
            .map(rows -> rows.iterator().next().getLong("n"));
    Tuple pageArgs =
        Tuple.tuple()
            .addLong(projectCode)
            .addLong(definitionCode)
            .addString(search)
            .addString(state)
            .addOffsetDateTime(from)
            .addOffsetDateTime(to)
            .addLong(offset)
            .addInteger(pageSize);
    Uni<List<Map<String, Object>>> items =
        pool.preparedQuery(
                "select " + COLUMNS + FROM + where + " order by i.id desc offset $7 limit $8")
            .execute(pageArgs)
            .map(
                rows -> {
                  List<Map<String, Object>> out = new ArrayList<>();
                  rows.forEach(r -> out.add(shape(r, false)));
                  return out;
                });
    return Uni.combine()
        .all()
        .unis(items, total)
        .asTuple()
        .map(t -> new Page(t.getItem1(), t.getItem2()));
  }

  /** Flowgate's instance state as DS's WorkflowExecutionStatus name. */
  static String dsState(String state) {
    return switch (state) {
      case "SUBMITTED" -> "SUBMITTED_SUCCESS";
      case "RUNNING" -> "RUNNING_EXECUTION";
      case "STOPPING" -> "READY_STOP";
      case "STOPPED" -> "STOP";
      default -> state; // SUCCESS, FAILURE
    };
  }

  /** DS's state name as Flowgate's, or null when no Flowgate instance can be in it. */
  static String flowgateState(String dsState) {
    return switch (dsState) {
      case "SUBMITTED_SUCCESS" -> "SUBMITTED";
      case "RUNNING_EXECUTION" -> "RUNNING";
      case "READY_STOP" -> "STOPPING";
      case "STOP" -> "STOPPED";
      case "SUCCESS", "FAILURE" -> dsState;
      default -> null;
    };
  }

  private static Map<String, Object> shape(Row r, boolean withDag) {
    InstanceRow i = InstanceRow.of(r);
    Map<String, Object> d = new LinkedHashMap<>();
    long id = i.id();
    OffsetDateTime created = i.createdAt();
    OffsetDateTime started = i.startedAt();
    OffsetDateTime ended = i.endedAt();
    boolean complement = i.complementOf() != null;
    Long trigger = i.triggerCode();
    d.put("id", id);
    d.put("processDefinitionCode", i.workflowCode());
    d.put("processDefinitionVersion", i.workflowVersion());
    d.put("projectCode", i.projectCode());
    d.put("state", dsState(i.state()));
    d.put("recovery", "NO");
    d.put("startTime", time(started));
    d.put("endTime", time(ended));
    d.put("runTimes", Math.max(1, i.claimCount()));
    d.put(
        "name",
        DefinitionRow.of(r).workflowName()
            + "-"
            + i.workflowVersion()
            + "-"
            + NAME_TIME.format(created.withOffsetSameInstant(ZoneOffset.UTC)));
    d.put("host", i.leaseOwner());
    d.put("commandType", complement ? "COMPLEMENT_DATA" : "START_PROCESS");
    List<String> nodes = i.startNodes();
    d.put("taskDependType", "TASK_POST");
    d.put("startNodeList", nodes == null ? null : String.join(",", nodes));
    d.put("maxTryTimes", 0);
    d.put("failureStrategy", i.failureStrategy());
    d.put("warningType", "NONE");
    d.put("warningGroupId", null);
    d.put("scheduleTime", time(i.scheduleTime()));
    d.put("commandStartTime", time(created));
    d.put("globalParams", globalParams(DefinitionRow.of(r).globalParams(), i.paramsJson()));
    d.put("executorId", 0);
    d.put("executorName", null);
    d.put("tenantCode", "default");
    d.put("queue", null);
    d.put("isSubProcess", "NO");
    d.put("duration", duration(started, ended));
    d.put("processInstancePriority", i.priority());
    d.put("workerGroup", i.workerGroup());
    d.put("environmentCode", -1);
    d.put("timeout", 0);
    d.put("tenantId", -1);
    d.put("varPool", null);
    d.put("dryRun", i.dryRun() ? 1 : 0);
    d.put("testFlag", i.testFlag() ? 1 : 0);
    d.put("restartTime", time(started));
    d.put("isBlocked", false);
    d.put("complementData", complement);
    d.put("cmdTypeIfComplement", complement ? "COMPLEMENT_DATA" : "START_PROCESS");
    d.put("triggerCode", trigger != null ? trigger : DsStartService.TRIGGER_BASE + id);
    d.put("idempotencyKey", i.idempotencyKey());
    d.put("traceId", i.traceId());
    if (withDag) {
      d.put("dagData", dagData(r));
    }
    return d;
  }

  // DS stores globalParams as a JSON string of [{prop, direct, type, value}]; the start's params
  // override the definition's (curingGlobalParams)
  private static String globalParams(JsonObject definition, JsonObject start) {
    Map<String, Object> merged = new LinkedHashMap<>();
    if (definition != null) {
      definition.forEach(e -> merged.put(e.getKey(), e.getValue()));
    }
    start.forEach(e -> merged.put(e.getKey(), e.getValue()));
    JsonArray out = new JsonArray();
    merged.forEach(
        (k, v) ->
            out.add(
                new JsonObject()
                    .put("prop", k)
                    .put("direct", "IN")
                    .put("type", "VARCHAR")
                    .put("value", v == null ? null : String.valueOf(v))));
    return out.encode();
  }

  // DagData (dao/entity/DagData.java): the definition, its task relations, its task definitions
  private static Map<String, Object> dagData(Row r) {
    InstanceRow instance = InstanceRow.of(r);
    DefinitionRow definitionRow = DefinitionRow.of(r);
    JsonObject dag = definitionRow.dag();
    JsonArray tasks = dag.getJsonArray("tasks", new JsonArray());
    JsonArray edges = dag.getJsonArray("edges", new JsonArray());
    List<Map<String, Object>> taskList = new ArrayList<>();
    List<Map<String, Object>> relations = new ArrayList<>();
    java.util.Set<String> withParent = new java.util.HashSet<>();
    for (int i = 0; i < edges.size(); i++) {
      JsonObject e = edges.getJsonObject(i);
      withParent.add(e.getString("to"));
      relations.add(relation(instance, e.getString("from"), e.getString("to")));
    }
    for (int i = 0; i < tasks.size(); i++) {
      JsonObject t = tasks.getJsonObject(i);
      Map<String, Object> task = new LinkedHashMap<>();
      task.put("code", t.getString("code"));
      task.put("name", t.getString("name"));
      task.put("version", instance.workflowVersion());
      task.put("taskType", t.getString("type"));
      task.put(
          "taskParams",
          t.getJsonObject("params") == null ? "{}" : t.getJsonObject("params").encode());
      task.put("failRetryTimes", t.getValue("retries") == null ? 0 : t.getValue("retries"));
      task.put(
          "failRetryInterval",
          t.getValue("retryDelaySeconds") == null ? 0 : t.getValue("retryDelaySeconds"));
      task.put("timeout", t.getValue("timeoutSeconds") == null ? 0 : t.getValue("timeoutSeconds"));
      task.put("projectCode", instance.projectCode());
      taskList.add(task);
      if (!withParent.contains(t.getString("code"))) {
        relations.add(0, relation(instance, "0", t.getString("code")));
      }
    }
    Map<String, Object> definition = new LinkedHashMap<>();
    definition.put("code", instance.workflowCode());
    definition.put("name", definitionRow.workflowName());
    definition.put("version", instance.workflowVersion());
    definition.put("projectCode", instance.projectCode());
    definition.put("globalParams", globalParams(definitionRow.globalParams(), new JsonObject()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("processDefinition", definition);
    out.put("processTaskRelationList", relations);
    out.put("taskDefinitionList", taskList);
    return out;
  }

  private static Map<String, Object> relation(InstanceRow r, String from, String to) {
    Map<String, Object> rel = new LinkedHashMap<>();
    rel.put("projectCode", r.projectCode());
    rel.put("processDefinitionCode", r.workflowCode());
    rel.put("processDefinitionVersion", r.workflowVersion());
    rel.put("preTaskCode", from);
    rel.put("postTaskCode", to);
    rel.put("conditionType", "NONE");
    return rel;
  }

  static String time(OffsetDateTime t) {
    return t == null ? null : DS_TIME.format(t.withOffsetSameInstant(ZoneOffset.UTC));
  }

  // DateUtils.format2Duration: "1d 2h 3m 4s" without the zero leading units
  private static String duration(OffsetDateTime start, OffsetDateTime end) {
    if (start == null) {
      return null;
    }
    long s =
        java.time.Duration.between(start, end == null ? OffsetDateTime.now() : end).getSeconds();
    long days = s / 86400;
    long hours = s % 86400 / 3600;
    long minutes = s % 3600 / 60;
    long seconds = s % 60;
    StringBuilder b = new StringBuilder();
    if (days > 0) {
      b.append(days).append("d ");
    }
    if (days > 0 || hours > 0) {
      b.append(hours).append("h ");
    }
    if (days > 0 || hours > 0 || minutes > 0) {
      b.append(minutes).append("m ");
    }
    return b.append(seconds).append('s').toString();
  }
}
