package io.flowgate.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowgate.api.security.Caller;
import io.flowgate.api.security.CurrentCaller;
import io.flowgate.definition.SafeText;
import io.flowgate.observability.ErrorCode;
import io.flowgate.observability.FlowgateException;
import io.flowgate.store.FailureStrategy;
import io.flowgate.store.InstanceQueries;
import io.flowgate.store.Priority;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * The DolphinScheduler 3.1.9/3.2 start endpoint, so existing clients switch by changing the base
 * URL. Answers the DolphinScheduler {@code Result} shape; {@code data} is the new instance id.
 * Unknown form parameters are ignored; known ones with bad values, given twice, or not decodable as
 * UTF-8 are refused (10001).
 */
@Path("/dolphinscheduler/projects/{projectCode}")
@Produces(MediaType.APPLICATION_JSON)
public class DolphinCompatResource {

  private static final DateTimeFormatter DOLPHIN_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final Set<String> WARNING_TYPES = Set.of("NONE", "SUCCESS", "FAILURE", "ALL");
  private static final Set<String> DEPEND_TYPES = Set.of("TASK_ONLY", "TASK_PRE", "TASK_POST");
  private static final Set<String> RUN_MODES = Set.of("RUN_MODE_SERIAL", "RUN_MODE_PARALLEL");
  private static final Set<String> COMPLEMENT_MODES = Set.of("OFF_MODE", "ALL_DEPENDENT");
  private static final Set<String> EXEC_TYPES =
      Set.of("START_PROCESS", "COMPLEMENT_DATA", "START_CURRENT_TASK_PROCESS", "REPEAT_RUNNING");

  private final StartService starts;
  private final InstanceQueries queries;
  private final CurrentCaller caller;
  private final ObjectMapper json;

  public DolphinCompatResource(
      StartService starts, InstanceQueries queries, CurrentCaller caller, ObjectMapper json) {
    this.starts = starts;
    this.queries = queries;
    this.caller = caller;
    this.json = json;
  }

  /** DolphinScheduler's {@code Result}. */
  public record Result(
      int code, String msg, Object data, boolean success, boolean failed, String traceId) {
    static Result ok(Object data) {
      return new Result(0, "success", data, true, false, Problems.traceId());
    }
  }

  /** The form of start-process-instance, as DolphinScheduler names it. */
  public static final class StartForm {
    public String processDefinitionCode;
    public String scheduleTime;
    public String failureStrategy;
    public String warningType;
    public String warningGroupId;
    public String startNodeList;
    public String taskDependType;
    public String execType;
    public String runMode;
    public String processInstancePriority;
    public String workerGroup;
    public String tenantCode;
    public String environmentCode;
    public String timeout;
    public String startParams;
    public String expectedParallelismNumber;
    public String dryRun;
    public String testFlag;
    public String complementDependentMode;
    public String version;

    static StartForm of(FormBody form) {
      StartForm f = new StartForm();
      f.processDefinitionCode = one(form, "processDefinitionCode");
      f.scheduleTime = one(form, "scheduleTime");
      f.failureStrategy = one(form, "failureStrategy");
      f.warningType = one(form, "warningType");
      f.warningGroupId = one(form, "warningGroupId");
      f.startNodeList = one(form, "startNodeList");
      f.taskDependType = one(form, "taskDependType");
      f.execType = one(form, "execType");
      f.runMode = one(form, "runMode");
      f.processInstancePriority = one(form, "processInstancePriority");
      f.workerGroup = one(form, "workerGroup");
      f.tenantCode = one(form, "tenantCode");
      f.environmentCode = one(form, "environmentCode");
      f.timeout = one(form, "timeout");
      f.startParams = one(form, "startParams");
      f.expectedParallelismNumber = one(form, "expectedParallelismNumber");
      f.dryRun = one(form, "dryRun");
      f.testFlag = one(form, "testFlag");
      f.complementDependentMode = one(form, "complementDependentMode");
      f.version = one(form, "version");
      return f;
    }

    private static String one(FormBody form, String name) {
      if (form.repeated(name)) {
        throw invalid(name + ": given more than once");
      }
      return form.get(name);
    }
  }

  @POST
  @Path("/executors/start-process-instance")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @RequestBody(
      content =
          @Content(
              mediaType = MediaType.APPLICATION_FORM_URLENCODED,
              schema = @Schema(implementation = StartForm.class)))
  @Parameter(
      name = StartResource.IDEMPOTENCY_KEY,
      in = ParameterIn.HEADER,
      description = "1-128 of [A-Za-z0-9._:-], given once; same key + same form replays")
  public Uni<Result> start(
      @PathParam("projectCode") long projectCode, @Context HttpHeaders headers, byte[] body) {
    Caller who = caller.get();
    who.requireProject(projectCode, Caller.START);
    String idempotencyKey = StartResource.idempotencyKey(headers);
    StartForm form = StartForm.of(parse(body));
    long workflowCode = requiredLong("processDefinitionCode", form.processDefinitionCode);
    StartRequest request = toStartRequest(form);
    return starts
        .start(who, projectCode, workflowCode, idempotencyKey, request)
        .map(outcome -> Result.ok(outcome.instance().instanceId()));
  }

  // read here rather than by the framework: strict escapes and UTF-8, a field given twice refused
  private static FormBody parse(byte[] body) {
    try {
      return FormBody.parse(body == null ? new byte[0] : body);
    } catch (FormBody.Malformed e) {
      throw invalid(e.getMessage());
    }
  }

  @GET
  @Path("/process-instances/{id}")
  public Uni<Result> instance(
      @PathParam("projectCode") long projectCode, @PathParam("id") long id) {
    Caller who = caller.get();
    who.requireProject(projectCode, Caller.READ);
    return queries
        .byId(id)
        .map(
            i ->
                InstanceResource.visible(
                    who,
                    i != null && i.projectCode() == projectCode ? i : null,
                    "process instance " + id))
        .map(
            i -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("id", i.id());
              data.put("projectCode", i.projectCode());
              data.put("processDefinitionCode", i.workflowCode());
              data.put("processDefinitionVersion", i.workflowVersion());
              data.put("state", i.state());
              data.put("processInstancePriority", i.priority());
              data.put("failureStrategy", i.failureStrategy());
              data.put("scheduleTime", i.scheduleTime());
              data.put("startTime", i.startedAt());
              data.put("endTime", i.endedAt());
              data.put("workerGroup", i.workerGroup());
              data.put("dryRun", i.dryRun() ? 1 : 0);
              data.put("globalParams", i.params());
              data.put("traceId", i.traceId());
              return Result.ok(data);
            });
  }

  private StartRequest toStartRequest(StartForm f) {
    oneOf("warningType", f.warningType, WARNING_TYPES);
    oneOf("taskDependType", f.taskDependType, DEPEND_TYPES);
    oneOf("runMode", f.runMode, RUN_MODES);
    oneOf("complementDependentMode", f.complementDependentMode, COMPLEMENT_MODES);
    oneOf("execType", f.execType, EXEC_TYPES);
    optionalLong("warningGroupId", f.warningGroupId, 0);
    optionalLong("environmentCode", f.environmentCode, -1);
    optionalLong("timeout", f.timeout, 0);
    optionalLong("expectedParallelismNumber", f.expectedParallelismNumber, 0);
    optionalLong("version", f.version, 1);
    oneOf("testFlag", f.testFlag, Set.of("0", "1"));
    oneOf("dryRun", f.dryRun, Set.of("0", "1"));
    oneOf("failureStrategy", f.failureStrategy, Set.of("END", "CONTINUE"));
    oneOf(
        "processInstancePriority",
        f.processInstancePriority,
        Set.of("HIGHEST", "HIGH", "MEDIUM", "LOW", "LOWEST"));
    return new StartRequest(
        startParams(f.startParams),
        blank(f.processInstancePriority) ? null : Priority.valueOf(f.processInstancePriority),
        blank(f.failureStrategy) ? null : FailureStrategy.valueOf(f.failureStrategy),
        scheduleTime(f.scheduleTime),
        blank(f.workerGroup) ? null : f.workerGroup,
        "1".equals(f.dryRun));
  }

  // each value kept as written: a number such as 1e400 stays "1e400", not "Infinity"
  private Map<String, String> startParams(String text) {
    if (blank(text)) {
      return null;
    }
    try (JsonParser parser = json.getFactory().createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw invalid("startParams: must be a JSON object");
      }
      Map<String, String> params = new LinkedHashMap<>();
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == null || !value.isScalarValue() || value == JsonToken.VALUE_NULL) {
          throw invalid("startParams." + SafeText.shown(name) + ": must be a scalar");
        }
        params.put(name, parser.getText());
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw invalid("startParams: not valid JSON");
      }
      return params;
    } catch (IOException e) {
      throw invalid("startParams: not valid JSON");
    }
  }

  // DolphinScheduler sends "yyyy-MM-dd HH:mm:ss" or a complement-range JSON; ISO-8601 is accepted
  // too
  private OffsetDateTime scheduleTime(String text) {
    if (blank(text)) {
      return null;
    }
    String value = text.trim();
    if (value.startsWith("{")) {
      try {
        JsonNode node = json.readTree(value);
        JsonNode start = node.get("complementStartDate");
        if (start == null || !start.isTextual()) {
          throw invalid("scheduleTime: complementStartDate is required");
        }
        value = start.asText();
      } catch (JsonProcessingException e) {
        throw invalid("scheduleTime: not valid JSON");
      }
    }
    try {
      return LocalDateTime.parse(value, DOLPHIN_TIME).atOffset(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(value);
      } catch (DateTimeParseException e2) {
        throw invalid("scheduleTime: expected yyyy-MM-dd HH:mm:ss or ISO-8601");
      }
    }
  }

  private static long requiredLong(String name, String value) {
    if (blank(value)) {
      throw invalid(name + ": is required");
    }
    return parseLong(name, value, 1);
  }

  private static void optionalLong(String name, String value, long min) {
    if (!blank(value)) {
      parseLong(name, value, min);
    }
  }

  private static long parseLong(String name, String value, long min) {
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed < min) {
        throw invalid(name + ": must be at least " + min);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(name + ": must be an integer");
    }
  }

  private static void oneOf(String name, String value, Set<String> allowed) {
    if (!blank(value) && !allowed.contains(value)) {
      throw invalid(name + ": one of " + allowed);
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static FlowgateException invalid(String detail) {
    return new FlowgateException(ErrorCode.VALIDATION_FAILED, detail);
  }
}
