package io.flowgate.dolphinscheduler;

import io.flowgate.api.security.Caller;
import io.flowgate.api.security.CurrentCaller;
import io.flowgate.definition.DagValidator;
import io.flowgate.definition.DefinitionRepository;
import io.flowgate.definition.Workflow;
import io.flowgate.definition.WorkflowSpec;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.flowgate.problem.Problems;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

/**
 * DolphinScheduler's import of a definition export (ProcessDefinitionController 3.1.9 line 777,
 * 3.2.2 line 710: multipart part {@code file}), for an admin. Unlike DS, which gives the import new
 * codes and renames on a name clash (ProcessDefinitionServiceImpl 3.2.2 lines 1418-1433), the
 * workflow keeps its DS code and name so that DS clients keep working; a clash is refused. The
 * workflow arrives OFFLINE; nothing is written when anything is refused.
 */
@Path("/dolphinscheduler/projects/{projectCode}/process-definition/import")
// any token: the admin check runs in checkProject, after the project check, in DS's order
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DsImportResource {

  static final String FILE = "file";

  private final DefinitionRepository definitions;
  private final DsDefinitions dsDefinitions;
  private final DagValidator validator;
  private final CurrentCaller caller;

  public DsImportResource(
      DefinitionRepository definitions,
      DsDefinitions dsDefinitions,
      DagValidator validator,
      CurrentCaller caller) {
    this.definitions = definitions;
    this.dsDefinitions = dsDefinitions;
    this.validator = validator;
    this.caller = caller;
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  public Uni<Response> importFile(
      @PathParam("projectCode") String projectText,
      MultipartFormDataInput form,
      @Context HttpHeaders headers) {
    long projectCode = DsPaths.code(projectText, DsStatus.IMPORT_PROCESS_DEFINE_ERROR);
    byte[] file = file(form);
    Caller who = caller.get();
    boolean chinese = DsLanguage.chinese(headers);
    return checkProject(who, projectCode)
        .flatMap(
            ok -> {
              WorkflowSpec spec = DsExport.read(file);
              try {
                validator.validate(spec);
              } catch (FlowgateException e) {
                throw refusal(e, spec);
              }
              return definitions
                  .createWorkflow(projectCode, spec, who.subject())
                  .onFailure(FlowgateException.class)
                  .transform(e -> refusal((FlowgateException) e, spec));
            })
        .map(w -> Response.ok(DsResult.ok(answer(w), Problems.traceId(), null, chinese)).build());
  }

  /** Any other body: Spring finds no {@code file} part (MissingServletRequestPartException). */
  @POST
  public Response noMultipart(@PathParam("projectCode") String projectText) {
    throw missingFile();
  }

  // ProjectServiceImpl.checkProjectAndAuth 3.2.2 lines 814-826 with WORKFLOW_IMPORT: only an
  // admin writes definitions in Flowgate
  private Uni<Boolean> checkProject(Caller who, long projectCode) {
    return dsDefinitions
        .projectExists(projectCode)
        .map(
            exists -> {
              if (!exists) {
                throw new DsException(DsStatus.PROJECT_NOT_EXIST, "project " + projectCode);
              }
              if (!who.admin()) {
                throw new DsException(
                    DsStatus.USER_NO_OPERATION_PROJECT_PERM,
                    "importing a workflow needs an admin token",
                    who.subject(),
                    String.valueOf(projectCode));
              }
              return true;
            });
  }

  private static byte[] file(MultipartFormDataInput form) {
    Collection<FormValue> parts = form.getValues().get(FILE);
    if (parts == null || parts.isEmpty()) {
      throw missingFile();
    }
    if (parts.size() > 1) {
      throw DsExport.refused("the form has " + parts.size() + " 'file' parts; send one");
    }
    FormValue part = parts.iterator().next();
    try {
      // the body is already bounded by flowgate.request.max-body
      return part.isFileItem()
          ? Files.readAllBytes(part.getFileItem().getFile())
          : part.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static DsException missingFile() {
    return DsExport.refused("the multipart part 'file' is required");
  }

  // validation and store refusals in DS's terms; overload and store trouble stay 429/503
  private static RuntimeException refusal(FlowgateException e, WorkflowSpec spec) {
    if (e.code().retryable()) {
      return e;
    }
    if (e.code() == ErrorCode.NAME_TAKEN) {
      return new DsException(
          DsStatus.PROCESS_DEFINITION_NAME_EXIST, e.getMessage(), String.valueOf(spec.name()));
    }
    if (e.code() == ErrorCode.CODE_TAKEN
        || e.code() == ErrorCode.INVALID_DAG
        || e.code() == ErrorCode.VALIDATION_FAILED) {
      return DsExport.refused(e.getMessage());
    }
    return e;
  }

  // the imported definition as DS answers it (result DATA_LIST: the ProcessDefinition)
  private static Map<String, Object> answer(Workflow w) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("code", w.code());
    d.put("name", w.name());
    d.put("version", w.version());
    d.put("releaseState", w.releaseState());
    d.put("projectCode", w.projectCode());
    d.put("description", w.description() == null ? "" : w.description());
    d.put("executionType", "PARALLEL");
    return d;
  }

  @ServerExceptionMapper
  public Response ds(DsException e, HttpHeaders headers) {
    return DsPaths.answer(e, null, DsLanguage.chinese(headers));
  }

  @ServerExceptionMapper
  public Response flowgate(FlowgateException e, HttpHeaders headers) {
    return DsPaths.answer(e, null, DsLanguage.chinese(headers));
  }
}
