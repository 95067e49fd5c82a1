package io.flowgate.api;

import io.flowgate.api.security.Caller;
import io.flowgate.api.security.CurrentCaller;
import io.flowgate.engine.InstanceStopper;
import io.flowgate.engine.InstanceStopper.Stopped;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Stops an instance: 200 when it is STOPPED at once (never claimed), 202 while it is STOPPING.
 * Needs the {@code start} scope; an instance the caller cannot see answers 404 ({@link
 * InstanceAccess}, checked under the instance's row lock).
 */
@Path("/api/v1/instances/{id}/stop")
@Produces(MediaType.APPLICATION_JSON)
public class StopResource {

  private final InstanceStopper stopper;
  private final CurrentCaller caller;

  public StopResource(InstanceStopper stopper, CurrentCaller caller) {
    this.stopper = stopper;
    this.caller = caller;
  }

  @POST
  @Authenticated
  public Uni<Response> stop(@PathParam("id") long id) {
    return stopper
        .stop(new InstanceAccess(caller.get(), Caller.START), id)
        .map(
            (Stopped s) ->
                Response.status("STOPPED".equals(s.state()) ? 200 : 202).entity(s).build());
  }
}
