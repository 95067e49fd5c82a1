package io.flowgate.api;

import io.flowgate.api.security.Caller;
import io.flowgate.api.security.CurrentCaller;
import io.flowgate.api.security.ProjectPermission;
import io.flowgate.definition.DagValidator;
import io.flowgate.definition.DefinitionCache;
import io.flowgate.definition.DefinitionRepository;
import io.flowgate.definition.Workflow;
import io.flowgate.definition.WorkflowSpec;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
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

/** Workflow definitions of a project: create (validated DAG), read, release, take offline. */
@Path("/api/v1/projects/{projectCode}/workflows")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowResource {

  private final DefinitionRepository definitions;
  private final DefinitionCache cache;
  private final DagValidator validator;
  private final CurrentCaller caller;

  public WorkflowResource(
      DefinitionRepository definitions,
      DefinitionCache cache,
      DagValidator validator,
      CurrentCaller caller) {
    this.definitions = definitions;
    this.cache = cache;
    this.validator = validator;
    this.caller = caller;
  }

  @POST
  @RolesAllowed(Caller.ADMIN_ROLE)
  public Uni<Response> create(@PathParam("projectCode") long projectCode, WorkflowSpec spec) {
    Caller who = caller.get();
    validator.validate(spec);
    return definitions
        .existingProject(projectCode)
        .flatMap(p -> definitions.createWorkflow(projectCode, spec, who.subject()))
        .map(
            w ->
                Response.created(
                        URI.create("/api/v1/projects/" + projectCode + "/workflows/" + w.code()))
                    .entity(w)
                    .build());
  }

  @GET
  @PermissionsAllowed(value = Caller.READ, permission = ProjectPermission.class)
  public Uni<List<Workflow>> list(@PathParam("projectCode") long projectCode) {
    return definitions.workflows(projectCode);
  }

  @GET
  @Path("/{workflowCode}")
  @PermissionsAllowed(value = Caller.READ, permission = ProjectPermission.class)
  public Uni<Workflow> get(
      @PathParam("projectCode") long projectCode, @PathParam("workflowCode") long workflowCode) {
    return definitions.workflow(projectCode, workflowCode).map(w -> found(w, workflowCode));
  }

  @POST
  @Path("/{workflowCode}/release")
  @RolesAllowed(Caller.ADMIN_ROLE)
  public Uni<Workflow> release(
      @PathParam("projectCode") long projectCode, @PathParam("workflowCode") long workflowCode) {
    return setState(projectCode, workflowCode, true);
  }

  @POST
  @Path("/{workflowCode}/offline")
  @RolesAllowed(Caller.ADMIN_ROLE)
  public Uni<Workflow> offline(
      @PathParam("projectCode") long projectCode, @PathParam("workflowCode") long workflowCode) {
    return setState(projectCode, workflowCode, false);
  }

  private Uni<Workflow> setState(long projectCode, long workflowCode, boolean online) {
    Caller who = caller.get();
    return definitions
        .release(projectCode, workflowCode, online, who.subject())
        .map(w -> found(w, workflowCode))
        .invoke(w -> cache.invalidate(workflowCode));
  }

  private static Workflow found(Workflow w, long workflowCode) {
    if (w == null) {
      throw new FlowgateException(
          ErrorCode.WORKFLOW_NOT_FOUND, "workflow " + workflowCode + " not found");
    }
    return w;
  }
}
