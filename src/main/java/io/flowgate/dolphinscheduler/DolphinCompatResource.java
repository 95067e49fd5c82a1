package io.flowgate.dolphinscheduler;

import io.flowgate.api.security.CurrentCaller;
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
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

/**
 * DolphinScheduler's start-process-instance (ExecutorController 3.1.9 line 127, 3.2.2 line 138), so
 * existing DS clients switch by changing the base URL. Parameters are bound as Spring binds them:
 * from the query string and from an urlencoded or multipart body. Answers DS's {@code Result} with
 * DS's codes; HTTP 200 for business errors, 429/503 + Retry-After for overload and store trouble.
 * {@code data}: the instance id (3.1) or the trigger code (3.2).
 */
@Path("/dolphinscheduler/projects/{projectCode}/executors/start-process-instance")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DolphinCompatResource {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final DsStartService starts;
  private final CurrentCaller caller;

  public DolphinCompatResource(DsStartService starts, CurrentCaller caller) {
    this.starts = starts;
    this.caller = caller;
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Parameter(
      name = IDEMPOTENCY_KEY,
      in = ParameterIn.HEADER,
      description = "1-128 of [A-Za-z0-9._:-]; the same key and form replay the same instances")
  public Uni<Response> start(
      @PathParam("projectCode") String projectCode,
      @Context UriInfo uri,
      @Context HttpHeaders headers,
      byte[] body) {
    DsParams params = DsParams.of(rawQuery(uri), body, DsStatus.START_PROCESS_INSTANCE_ERROR);
    return start(projectCode, headers, params);
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  public Uni<Response> startMultipart(
      @PathParam("projectCode") String projectCode,
      @Context UriInfo uri,
      @Context HttpHeaders headers,
      MultipartFormDataInput body) {
    DsParams params =
        DsParams.of(
            rawQuery(uri),
            body.getValues(),
            (FormValue v) -> v.isFileItem() ? null : v.getValue(),
            DsStatus.START_PROCESS_INSTANCE_ERROR);
    return start(projectCode, headers, params);
  }

  /** Any other body (or none): Spring binds the query string only; so does this. */
  @POST
  public Uni<Response> startFromQuery(
      @PathParam("projectCode") String projectCode,
      @Context UriInfo uri,
      @Context HttpHeaders headers) {
    DsParams params = DsParams.of(rawQuery(uri), null, DsStatus.START_PROCESS_INSTANCE_ERROR);
    return start(projectCode, headers, params);
  }

  private Uni<Response> start(String projectText, HttpHeaders headers, DsParams params) {
    long projectCode = DsPaths.code(projectText, DsStatus.START_PROCESS_INSTANCE_ERROR);
    String key = idempotencyKey(headers);
    DsStart start = DsStartParser.parse(params);
    return starts
        .start(caller.get(), projectCode, key, start)
        .map(
            answer -> {
              Response.ResponseBuilder ok =
                  Response.ok(
                          DsResult.ok(
                              answer.data(),
                              Problems.traceId(),
                              answer.idempotencyKey(),
                              DsLanguage.chinese(headers)))
                      .header(IDEMPOTENCY_KEY, answer.idempotencyKey());
              if (answer.replayed()) {
                ok.header("Idempotency-Replayed", "true");
              }
              return ok.build();
            });
  }

  static String rawQuery(UriInfo uri) {
    return uri.getRequestUri().getRawQuery();
  }

  static String idempotencyKey(HttpHeaders headers) {
    List<String> keys = headers.getRequestHeader(IDEMPOTENCY_KEY);
    if (keys == null || keys.isEmpty()) {
      return null;
    }
    if (keys.size() > 1) {
      throw DsException.refused(IDEMPOTENCY_KEY, "(not shown)", "give one key");
    }
    return keys.get(0) == null ? "" : keys.get(0);
  }

  @ServerExceptionMapper
  public Response ds(DsException e, HttpHeaders headers) {
    return DsPaths.answer(e, sentKey(headers), DsLanguage.chinese(headers));
  }

  @ServerExceptionMapper
  public Response flowgate(FlowgateException e, HttpHeaders headers) {
    return DsPaths.answer(e, sentKey(headers), DsLanguage.chinese(headers));
  }

  private static String sentKey(HttpHeaders headers) {
    List<String> keys = headers.getRequestHeader(IDEMPOTENCY_KEY);
    return keys != null && keys.size() == 1 ? keys.get(0) : null;
  }
}
