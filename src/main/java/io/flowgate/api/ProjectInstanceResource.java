package io.flowgate.api;

import io.flowgate.api.security.Caller;
import io.flowgate.api.security.CurrentCaller;
import io.flowgate.observability.ErrorCode;
import io.flowgate.observability.FlowgateException;
import io.flowgate.store.InstanceQueries;
import io.flowgate.store.InstanceQueries.InstanceView;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
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
  private final CurrentCaller caller;

  public ProjectInstanceResource(InstanceQueries queries, CurrentCaller caller) {
    this.queries = queries;
    this.caller = caller;
  }

  @GET
  @Path("/instances/by-key/{key}")
  public Uni<InstanceView> byKey(
      @PathParam("projectCode") long projectCode, @PathParam("key") String key) {
    Caller who = caller.get();
    who.requireProject(projectCode, Caller.READ);
    return queries
        .byKey(projectCode, key)
        .map(i -> InstanceResource.visible(who, i, "no instance for key " + key));
  }

  // query values are read as text, so one that is not a number is a 400 naming it, not a 404
  @GET
  @Path("/instances")
  public Uni<Page> list(
      @PathParam("projectCode") long projectCode,
      @QueryParam("workflow") String workflowText,
      @QueryParam("state") String state,
      @QueryParam("limit") @DefaultValue("100") String limitText,
      @QueryParam("after") @DefaultValue("0") String afterText) {
    caller.get().requireProject(projectCode, Caller.READ);
    Long workflow = workflowText == null ? null : number("workflow", workflowText);
    long limit = number("limit", limitText);
    long after = number("after", afterText);
    if (limit < 1 || limit > 1000) {
      throw new FlowgateException(ErrorCode.VALIDATION_FAILED, "limit: between 1 and 1000");
    }
    if (state != null && !STATES.contains(state)) {
      throw new FlowgateException(ErrorCode.VALIDATION_FAILED, "state: one of " + STATES);
    }
    if (after < 0) {
      throw new FlowgateException(ErrorCode.VALIDATION_FAILED, "after: must not be negative");
    }
    return list(projectCode, workflow, state, (int) limit, after);
  }

  private static long number(String name, String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new FlowgateException(ErrorCode.VALIDATION_FAILED, name + ": must be an integer");
    }
  }

  private Uni<Page> list(long projectCode, Long workflow, String state, int limit, long after) {
    return queries
        .list(projectCode, workflow, state, after, limit)
        .map(
            items ->
                new Page(items, items.size() == limit ? items.get(items.size() - 1).id() : null));
  }
}
