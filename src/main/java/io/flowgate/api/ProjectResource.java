package io.flowgate.api;

import io.flowgate.api.security.Caller;
import io.flowgate.api.security.CurrentCaller;
import io.flowgate.api.security.ProjectPermission;
import io.flowgate.config.RetentionConfig;
import io.flowgate.definition.DefinitionRepository;
import io.flowgate.definition.Project;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Projects: created by the admin, read by tokens scoped to them. */
@Path("/api/v1/projects")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ProjectResource {

  /** Body of a project creation; {@code code} keeps an existing (DolphinScheduler) code. */
  public record NewProject(String name, String description, Long code) {}

  /** Body of a retention change: days a finished instance is kept after it ended. */
  public record RetentionChange(Integer retentionDays) {}

  /**
   * A project's retention: its own in days (null: the default), and the one in force as an ISO-8601
   * duration.
   */
  public record Retention(long projectCode, Integer retentionDays, String effective) {}

  static final int MAX_RETENTION_DAYS = 3650;

  private final DefinitionRepository definitions;
  private final CurrentCaller caller;
  private final RetentionConfig retention;

  public ProjectResource(
      DefinitionRepository definitions, CurrentCaller caller, RetentionConfig retention) {
    this.definitions = definitions;
    this.caller = caller;
    this.retention = retention;
  }

  @POST
  @RolesAllowed(Caller.ADMIN_ROLE)
  public Uni<Response> create(NewProject body) {
    Caller who = caller.get();
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
  @Authenticated
  public Uni<List<Project>> list() {
    Caller who = caller.get();
    return definitions
        .projects()
        .map(all -> all.stream().filter(p -> who.may(p.code(), Caller.READ)).toList());
  }

  /** Like every path under a project: 403 PROJECT_ACCESS_DENIED unless the caller may read it. */
  @GET
  @Path("/{projectCode}")
  @PermissionsAllowed(value = Caller.READ, permission = ProjectPermission.class)
  public Uni<Project> get(@PathParam("projectCode") long projectCode) {
    return definitions.existingProject(projectCode);
  }

  @GET
  @Path("/{projectCode}/retention")
  @PermissionsAllowed(value = Caller.READ, permission = ProjectPermission.class)
  public Uni<Retention> retention(@PathParam("projectCode") long projectCode) {
    return definitions.retentionDays(projectCode).map(days -> retention(projectCode, days));
  }

  /** Admin only, audited: sets how long the project's finished instances are kept. */
  @PUT
  @Path("/{projectCode}/retention")
  @RolesAllowed(Caller.ADMIN_ROLE)
  public Uni<Retention> setRetention(
      @PathParam("projectCode") long projectCode, RetentionChange body) {
    Caller who = caller.get();
    if (body == null
        || body.retentionDays() == null
        || body.retentionDays() < 1
        || body.retentionDays() > MAX_RETENTION_DAYS) {
      throw new FlowgateException(
          ErrorCode.VALIDATION_FAILED,
          "retentionDays: an integer between 1 and " + MAX_RETENTION_DAYS);
    }
    return definitions
        .setRetentionDays(projectCode, body.retentionDays(), who.subject())
        .map(days -> retention(projectCode, days));
  }

  /** Admin only, audited: the project's finished instances are kept for the default again. */
  @DELETE
  @Path("/{projectCode}/retention")
  @RolesAllowed(Caller.ADMIN_ROLE)
  public Uni<Retention> resetRetention(@PathParam("projectCode") long projectCode) {
    Caller who = caller.get();
    return definitions
        .setRetentionDays(projectCode, null, who.subject())
        .map(days -> retention(projectCode, days));
  }

  private Retention retention(long projectCode, Integer days) {
    Duration effective = days == null ? retention.period() : Duration.ofDays(days);
    return new Retention(projectCode, days, effective.toString());
  }
}
