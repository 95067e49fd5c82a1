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

/** Reads of instances. An instance of a project the token cannot see answers 404. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {

  private static final Set<String> STATES =
      Set.of("SUBMITTED", "RUNNING", "STOPPING", "SUCCESS", "FAILURE", "STOPPED");

  /** A page of instances; pass {@code next} as {@code after} for the following page. */
  public record Page(List<InstanceView> items, Long next) {}

  private final InstanceQueries queries;
  private final CurrentCaller caller;

  public InstanceResource(InstanceQueries queries, CurrentCaller caller) {
    this.queries = queries;
    this.caller = caller;
  }

  @GET
  @Path("/instances/{id}")
  public Uni<InstanceView> get(@PathParam("id") long id) {
    Caller who = caller.get();
    return queries.byId(id).map(i -> visible(who, i, "instance " + id));
  }

  @GET
  @Path("/projects/{projectCode}/instances/by-key/{key}")
  public Uni<InstanceView> byKey(
      @PathParam("projectCode") long projectCode, @PathParam("key") String key) {
    Caller who = caller.get();
    who.requireProject(projectCode, Caller.READ);
    return queries.byKey(projectCode, key).map(i -> visible(who, i, "no instance for key " + key));
  }

  @GET
  @Path("/projects/{projectCode}/instances")
  public Uni<Page> list(
      @PathParam("projectCode") long projectCode,
      @QueryParam("workflow") Long workflow,
      @QueryParam("state") String state,
      @QueryParam("limit") @DefaultValue("100") int limit,
      @QueryParam("after") @DefaultValue("0") long after) {
    caller.get().requireProject(projectCode, Caller.READ);
    if (limit < 1 || limit > 1000) {
      throw new FlowgateException(ErrorCode.VALIDATION_FAILED, "limit: between 1 and 1000");
    }
    if (state != null && !STATES.contains(state)) {
      throw new FlowgateException(ErrorCode.VALIDATION_FAILED, "state: one of " + STATES);
    }
    if (after < 0) {
      throw new FlowgateException(ErrorCode.VALIDATION_FAILED, "after: must not be negative");
    }
    return queries
        .list(projectCode, workflow, state, after, limit)
        .map(
            items ->
                new Page(items, items.size() == limit ? items.get(items.size() - 1).id() : null));
  }

  static InstanceView visible(Caller who, InstanceView instance, String what) {
    if (instance == null || !who.sees(instance.projectCode())) {
      throw new FlowgateException(ErrorCode.INSTANCE_NOT_FOUND, what + " not found");
    }
    return instance;
  }
}
