package io.flowgate.api;

import io.flowgate.api.security.Caller;
import io.flowgate.api.security.ProjectPermission;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.flowgate.problem.Problems;
import io.flowgate.store.StartOutcome;
import io.quarkus.security.PermissionsAllowed;
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
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Starts one instance; answers only after its commit, or with an explicit error. */
@Path("/api/v1/projects/{projectCode}/workflows/{workflowCode}/instances")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class StartResource {

  static final String IDEMPOTENCY_KEY = Problems.IDEMPOTENCY_KEY;

  // the type RESTEasy would answer with: naming it skips the per-answer negotiation against
  // @Produces and the copy that adds the charset to it
  static final MediaType JSON_UTF8 = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");

  private final StartService starts;

  public StartResource(StartService starts) {
    this.starts = starts;
  }

  @POST
  @PermissionsAllowed(value = Caller.START, permission = ProjectPermission.class)
  @Operation(summary = "Start one instance (201 created, 200 replayed, 409 key reused)")
  @Parameter(
      name = IDEMPOTENCY_KEY,
      in = ParameterIn.HEADER,
      description = "1-128 of [A-Za-z0-9._:-], given once; same key + same body replays")
  public Uni<Response> start(
      @PathParam("projectCode") long projectCode,
      @PathParam("workflowCode") long workflowCode,
      @Context HttpHeaders headers,
      StartRequest body) {
    return starts
        .start(projectCode, workflowCode, idempotencyKey(headers), body)
        .map(StartResource::toResponse);
  }

  /**
   * The request's Idempotency-Key, null when absent. Present but empty, or given twice, is refused:
   * which of two keys counts would be a guess.
   */
  static String idempotencyKey(HttpHeaders headers) {
    List<String> keys = headers.getRequestHeader(IDEMPOTENCY_KEY);
    if (keys == null || keys.isEmpty()) {
      return null;
    }
    if (keys.size() > 1) {
      throw new FlowgateException(
          ErrorCode.VALIDATION_FAILED, "Idempotency-Key: give one key, not " + keys.size());
    }
    return keys.get(0) == null ? "" : keys.get(0);
  }

  static Response toResponse(StartOutcome outcome) {
    boolean replayed = outcome.kind() == StartOutcome.Kind.REPLAYED;
    StartResponse body = StartResponse.of(outcome.instance(), replayed);
    if (replayed) {
      return Response.ok(body, JSON_UTF8)
          .header("Idempotency-Replayed", "true")
          .header(IDEMPOTENCY_KEY, body.idempotencyKey())
          .build();
    }
    return Response.created(URI.create("/api/v1/instances/" + body.instanceId()))
        .entity(body)
        .type(JSON_UTF8)
        .header(IDEMPOTENCY_KEY, body.idempotencyKey())
        .build();
  }
}
