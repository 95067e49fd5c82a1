package io.flowgate.api;

import io.flowgate.api.security.Caller;
import io.flowgate.api.security.CurrentCaller;
import io.flowgate.definition.DefinitionRepository;
import io.flowgate.definition.Project;
import io.flowgate.observability.ErrorCode;
import io.flowgate.observability.FlowgateException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** Projects: created by the admin, read by tokens scoped to them. */
@Path("/api/v1/projects")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ProjectResource {

  /** Body of a project creation; {@code code} keeps an existing (DolphinScheduler) code. */
  public record NewProject(String name, String description, Long code) {}

  private final DefinitionRepository definitions;
  private final CurrentCaller caller;

  public ProjectResource(DefinitionRepository definitions, CurrentCaller caller) {
    this.definitions = definitions;
    this.caller = caller;
  }

  @POST
  public Uni<Response> create(NewProject body) {
    Caller who = caller.get();
    who.requireAdmin();
    if (body == null || body.name() == null || !body.name().matches("[A-Za-z0-9 ._-]{1,100}")) {
      throw new FlowgateException(ErrorCode.VALIDATION_FAILED, "name: 1-100 of [A-Za-z0-9 ._-]");
    }
    if (body.description() != null && body.description().length() > 2000) {
      throw new FlowgateException(
          ErrorCode.VALIDATION_FAILED, "description: at most 2000 characters");
    }
    if (body.code() != null && body.code() <= 0) {
      throw new FlowgateException(ErrorCode.VALIDATION_FAILED, "code: a positive 64-bit integer");
    }
    return definitions
        .createProject(body.code(), body.name(), body.description(), who.subject())
        .map(p -> Response.created(URI.create("/api/v1/projects/" + p.code())).entity(p).build());
  }

  /** The projects the caller may read. */
  @GET
  public Uni<List<Project>> list() {
    Caller who = caller.get();
    return definitions
        .projects()
        .map(all -> all.stream().filter(p -> who.may(p.code(), Caller.READ)).toList());
  }

  /** Like every path under a project: 403 PROJECT_ACCESS_DENIED unless the caller may read it. */
  @GET
  @Path("/{projectCode}")
  public Uni<Project> get(@PathParam("projectCode") long projectCode) {
    caller.get().requireProject(projectCode, Caller.READ);
    return definitions.existingProject(projectCode);
  }
}
