package io.flowgate.dolphinscheduler;

import io.flowgate.api.security.Caller;
import io.flowgate.api.security.CurrentCaller;
import io.flowgate.problem.FlowgateException;
import io.flowgate.problem.Problems;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The process-instance reads DS clients use (ProcessInstanceController 3.2.2): one instance with
 * {@code dagData} (line 206), the paged list with DS's filters (line 105), and 3.2's instances of a
 * trigger code (line 429). Each endpoint answers its own {@code @ApiException} code when a
 * parameter cannot be bound, as DS does.
 */
@Path("/dolphinscheduler/projects/{projectCode}/process-instances")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DsInstanceResource {

  private static final int MAX_PAGE_SIZE = 1000;

  private final DsInstances instances;
  private final DsDefinitions definitions;
  private final CurrentCaller caller;

  public DsInstanceResource(
      DsInstances instances, DsDefinitions definitions, CurrentCaller caller) {
    this.instances = instances;
    this.definitions = definitions;
    this.caller = caller;
  }

  @GET
  @Path("/{id}")
  public Uni<DsResult> instance(
      @PathParam("projectCode") String projectText,
      @PathParam("id") String idText,
      @Context HttpHeaders headers) {
    DsStatus onError = DsStatus.QUERY_PROCESS_INSTANCE_BY_ID_ERROR;
    long projectCode = DsPaths.code(projectText, onError);
    long id = DsPaths.code(idText, onError);
    return readable(projectCode)
        .flatMap(ok -> instances.byId(id, true))
        .map(
            i -> {
              // ProcessInstanceServiceImpl.queryProcessInstanceById 3.2.2 lines 244-270
              if (i == null) {
                throw new DsException(
                    DsStatus.PROCESS_INSTANCE_NOT_EXIST, "no such instance", String.valueOf(id));
              }
              if (!i.get("projectCode").equals(projectCode)) {
                throw new DsException(
                    DsStatus.PROCESS_DEFINE_NOT_EXIST,
                    "the instance belongs to another project",
                    String.valueOf(id));
              }
              return DsResult.ok(i, Problems.traceId(), null, DsLanguage.chinese(headers));
            });
  }

  @GET
  @Path("/trigger")
  public Uni<DsResult> trigger(
      @PathParam("projectCode") String projectText,
      @Context UriInfo uri,
      @Context HttpHeaders headers) {
    DsStatus onError = DsStatus.QUERY_PROCESS_INSTANCE_LIST_PAGING_ERROR;
    long projectCode = DsPaths.code(projectText, onError);
    DsParams p = DsParams.of(DolphinCompatResource.rawQuery(uri), null, onError);
    String text = p.nonEmpty("triggerCode");
    if (text == null) {
      throw new DsException(onError, "triggerCode: is required");
    }
    long triggerCode = DsPaths.code(text.trim(), onError);
    return readable(projectCode)
        .flatMap(ok -> instances.byTrigger(projectCode, triggerCode))
        .map(list -> DsResult.ok(list, Problems.traceId(), null, DsLanguage.chinese(headers)));
  }

  @GET
  public Uni<DsResult> list(
      @PathParam("projectCode") String projectText,
      @Context UriInfo uri,
      @Context HttpHeaders headers) {
    DsStatus onError = DsStatus.QUERY_PROCESS_INSTANCE_LIST_PAGING_ERROR;
    long projectCode = DsPaths.code(projectText, onError);
    DsParams p = DsParams.of(DolphinCompatResource.rawQuery(uri), null, onError);
    int pageNo = requiredInt(p, "pageNo", onError);
    int pageSize = requiredInt(p, "pageSize", onError);
    // BaseController.checkPageParams 3.2.2 lines 50-57
    if (pageNo <= 0) {
      throw new DsException(DsStatus.REQUEST_PARAMS_NOT_VALID_ERROR, "pageNo: >= 1", "pageNo");
    }
    if (pageSize <= 0 || pageSize > MAX_PAGE_SIZE) {
      throw new DsException(
          DsStatus.REQUEST_PARAMS_NOT_VALID_ERROR, "pageSize: 1.." + MAX_PAGE_SIZE, "pageSize");
    }
    long definition = 0;
    if (p.nonEmpty("processDefineCode") != null) {
      definition = DsPaths.code(p.nonEmpty("processDefineCode").trim(), onError);
    }
    String state = null;
    if (p.nonEmpty("stateType") != null) {
      state = DsInstances.flowgateState(p.nonEmpty("stateType").trim());
      if (state == null) {
        // a DS state no Flowgate instance is ever in: an empty page, as DS would answer
        state = "NONE";
      }
    }
    for (String unsupported : new String[] {"executorName", "host"}) {
      if (p.nonEmpty(unsupported) != null) {
        throw DsException.refused(
            unsupported, "(not shown)", "Flowgate instances have no executor user or DS host");
      }
    }
    OffsetDateTime from = date(p, "startDate");
    OffsetDateTime to = date(p, "endDate");
    String search = p.nonEmpty("searchVal");
    String stateFilter = state;
    long definitionFilter = definition;
    return readable(projectCode)
        .flatMap(
            ok ->
                instances.list(
                    projectCode, definitionFilter, search, stateFilter, from, to, pageNo, pageSize))
        .map(
            page -> {
              // PageInfo (api/utils/PageInfo.java 3.2.2)
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("totalList", page.items());
              data.put("total", page.total());
              data.put("totalPage", (page.total() + pageSize - 1) / pageSize);
              data.put("pageSize", pageSize);
              data.put("currentPage", pageNo);
              data.put("pageNo", (long) (pageNo - 1) * pageSize);
              return DsResult.ok(data, Problems.traceId(), null, DsLanguage.chinese(headers));
            });
  }

  private Uni<Boolean> readable(long projectCode) {
    Caller who = caller.get();
    return definitions
        .projectExists(projectCode)
        .map(
            exists -> {
              if (!exists) {
                throw new DsException(DsStatus.PROJECT_NOT_EXIST, "project " + projectCode);
              }
              if (!who.may(projectCode, Caller.READ)) {
                throw new DsException(
                    DsStatus.USER_NO_OPERATION_PROJECT_PERM,
                    "the token may not read in project " + projectCode,
                    who.subject(),
                    String.valueOf(projectCode));
              }
              return true;
            });
  }

  private static int requiredInt(DsParams p, String name, DsStatus onError) {
    String value = p.nonEmpty(name);
    if (value == null) {
      throw new DsException(onError, name + ": is required");
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new DsException(onError, name + ": must be a 32-bit integer");
    }
  }

  // checkAndParseDateParameters: a bad date is 10001 naming "startDate,endDate"
  private static OffsetDateTime date(DsParams p, String name) {
    String value = p.nonEmpty(name);
    if (value == null) {
      return null;
    }
    try {
      return LocalDateTime.parse(value.trim(), DsInstances.DS_TIME).atOffset(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new DsException(
          DsStatus.REQUEST_PARAMS_NOT_VALID_ERROR,
          name + ": yyyy-MM-dd HH:mm:ss",
          "startDate,endDate");
    }
  }

  @ServerExceptionMapper
  public jakarta.ws.rs.core.Response ds(DsException e, HttpHeaders headers) {
    return DsPaths.answer(e, null, DsLanguage.chinese(headers));
  }

  @ServerExceptionMapper
  public jakarta.ws.rs.core.Response flowgate(FlowgateException e, HttpHeaders headers) {
    return DsPaths.answer(e, null, DsLanguage.chinese(headers));
  }
}
