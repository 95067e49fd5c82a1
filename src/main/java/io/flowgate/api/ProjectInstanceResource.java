package io.flowgate.api;

import io.flowgate.api.security.Caller;
import io.flowgate.api.security.ProjectPermission;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.flowgate.store.InstanceQueries;
import io.flowgate.store.InstanceQueries.InstanceView;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;

/** Instances of one project: keyset-paginated list and lookup by idempotency key. */
@Path("/api/v1/projects/{projectCode}")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectInstanceResource {

  private static final Set<String> STATES =
      Set.of("SUBMITTED", "RUNNING", "STOPPING", "SUCCESS", "FAILURE", "STOPPED");

  /** A page of instances; pass {@code next} as {@code after} for the following page. */
  public record Page(List<InstanceView> items, Long next) {}

  private final InstanceQueries queries;

  public ProjectInstanceResource(InstanceQueries queries) {
    this.queries = queries;
  }

  @GET
  @Path("/instances/by-key/{key}")
  @PermissionsAllowed(value = Caller.READ, permission = ProjectPermission.class)
  public Uni<InstanceView> byKey(
      @PathParam("projectCode") long projectCode, @PathParam("key") String key) {
    return queries.byKey(projectCode, key).map(i -> found(i, key));
  }

  // query values are read as text, so one that is not a number is a 400 naming it, not a 404
  @GET
  @Path("/instances")
  @PermissionsAllowed(value = Caller.READ, permission = ProjectPermission.class)
  public Uni<Page> list(
      @PathParam("projectCode") long projectCode,
      @QueryParam("workflow") String workflowText,
      @QueryParam("state") String state,
      @QueryParam("limit") String limitText,
      @QueryParam("after") String afterText) {
    Long workflow =
        workflowText == null
            ? null
            : QueryNumber.of("workflow", workflowText, 0, Long.MIN_VALUE, Long.MAX_VALUE);
    long limit = QueryNumber.of("limit", limitText, 100, 1, 1000);
    long after = QueryNumber.of("after", afterText, 0, 0, Long.MAX_VALUE);
    if (state != null && !STATES.contains(state)) {
      throw new FlowgateException(ErrorCode.VALIDATION_FAILED, "state: one of " + STATES);
    }
    return list(projectCode, workflow, state, (int) limit, after);
  }

  private static InstanceView found(InstanceView instance, String key) {
    if (instance == null) {
      throw new FlowgateException(
          ErrorCode.INSTANCE_NOT_FOUND, "no instance for key " + key + " not found");
    }
    return instance;
  }

  private Uni<Page> list(long projectCode, Long workflow, String state, int limit, long after) {
    return queries
        .list(projectCode, workflow, state, after, limit)
        .map(
            items ->
                new Page(items, items.size() == limit ? items.get(items.size() - 1).id() : null));
  }
}
