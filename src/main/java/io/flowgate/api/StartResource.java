package io.flowgate.api;

import io.flowgate.api.security.CurrentCaller;
import io.flowgate.store.StartOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Starts one instance; answers only after its commit, or with an explicit error. */
@Path("/api/v1/projects/{projectCode}/workflows/{workflowCode}/instances")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class StartResource {

  private final StartService starts;
  private final CurrentCaller caller;

  public StartResource(StartService starts, CurrentCaller caller) {
    this.starts = starts;
    this.caller = caller;
  }

  @POST
  @Operation(summary = "Start one instance (201 created, 200 replayed, 409 key reused)")
  public Uni<Response> start(
      @PathParam("projectCode") long projectCode,
      @PathParam("workflowCode") long workflowCode,
      @Parameter(description = "1-128 of [A-Za-z0-9._:-]; same key + same body replays")
          @HeaderParam("Idempotency-Key")
          String idempotencyKey,
      StartRequest body) {
    return starts
        .start(caller.get(), projectCode, workflowCode, idempotencyKey, body)
        .map(StartResource::toResponse);
  }

  static Response toResponse(StartOutcome outcome) {
    boolean replayed = outcome.kind() == StartOutcome.Kind.REPLAYED;
    StartResponse body = StartResponse.of(outcome.instance(), replayed);
    if (replayed) {
      return Response.ok(body).header("Idempotency-Replayed", "true").build();
    }
    return Response.created(URI.create("/api/v1/instances/" + body.instanceId()))
        .entity(body)
        .build();
  }
}
