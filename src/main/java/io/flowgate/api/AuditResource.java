package io.flowgate.api;

import io.flowgate.api.security.Caller;
import io.flowgate.audit.AuditEvent;
import io.flowgate.audit.AuditLog;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The audit trail, admin only: oldest first, keyset-paginated by id. Pass {@code next} as {@code
 * after} for the following page; {@code next} is null on the last page.
 */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ADMIN_ROLE)
public class AuditResource {

  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 500;

  /** A page of events. */
  public record Page(List<AuditEvent> items, Long next) {}

  private final AuditLog audit;

  public AuditResource(AuditLog audit) {
    this.audit = audit;
  }

  @GET
  @Operation(summary = "The audit trail, oldest first (admin only); pass next as after")
  public Uni<Page> list(@QueryParam("limit") String limit, @QueryParam("after") String after) {
    int size = (int) QueryNumber.of("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
    long from = QueryNumber.of("after", after, 0, 0, Long.MAX_VALUE);
    // one more than asked tells whether a next page exists
    return audit
        .after(from, size + 1)
        .map(
            events ->
                events.size() > size
                    ? new Page(events.subList(0, size), events.get(size - 1).id())
                    : new Page(events, null));
  }
}
