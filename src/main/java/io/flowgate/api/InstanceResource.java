package io.flowgate.api;

import io.flowgate.api.security.Caller;
import io.flowgate.api.security.CurrentCaller;
import io.flowgate.store.InstanceQueries;
import io.flowgate.store.InstanceQueries.InstanceView;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * One instance by id. An instance of a project the token is not scoped to answers 404, as if it did
 * not exist; one of its own project without the {@code read} scope answers 403 ({@link
 * InstanceAccess}).
 */
@Path("/api/v1/instances")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {

  private final InstanceQueries queries;
  private final CurrentCaller caller;

  public InstanceResource(InstanceQueries queries, CurrentCaller caller) {
    this.queries = queries;
    this.caller = caller;
  }

  @GET
  @Path("/{id}")
  @Authenticated
  public Uni<InstanceView> get(@PathParam("id") long id) {
    InstanceAccess access = new InstanceAccess(caller.get(), Caller.READ);
    return queries.byId(id).map(i -> access.check(i, id));
  }
}
