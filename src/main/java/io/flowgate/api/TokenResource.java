package io.flowgate.api;

import io.flowgate.api.security.Caller;
import io.flowgate.api.security.CurrentCaller;
import io.flowgate.api.security.TokenService;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * API tokens, admin only: the secret is in the creation response and nowhere else; the listing
 * shows scopes, expiry, revocation and last use.
 */
@Path("/api/v1/tokens")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ADMIN_ROLE)
public class TokenResource {

  private static final Set<String> SCOPES = Set.of(Caller.READ, Caller.START);
  private static final int MAX_RATE = 1_000_000;

  /** Body of a token creation. */
  public record NewToken(
      String name,
      Boolean admin,
      List<Long> projects,
      List<String> scopes,
      Long expiresInSeconds,
      Caller.RateLimit rateLimit) {}

  /** A page of tokens; {@code next} is the {@code after} of the next page, null at the end. */
  public record Page(List<TokenService.Listed> items, Long next) {}

  private final TokenService tokens;
  private final CurrentCaller caller;

  public TokenResource(TokenService tokens, CurrentCaller caller) {
    this.tokens = tokens;
    this.caller = caller;
  }

  @POST
  @Operation(summary = "Create a token (admin); the secret is in this response only")
  public Uni<Response> create(NewToken body) {
    Caller who = caller.get();
    validate(body);
    boolean admin = Boolean.TRUE.equals(body.admin());
    List<Long> projects = body.projects() == null ? List.of() : List.copyOf(body.projects());
    List<String> scopes =
        body.scopes() == null ? List.of(Caller.READ, Caller.START) : List.copyOf(body.scopes());
    OffsetDateTime expires =
        body.expiresInSeconds() == null
            ? null
            : OffsetDateTime.now().plusSeconds(body.expiresInSeconds());
    TokenService.Grant grant =
        new TokenService.Grant(body.name(), admin, projects, scopes, expires, body.rateLimit());
    return tokens
        .unknownProjects(projects)
        .chain(
            unknown -> {
              if (!unknown.isEmpty()) {
                throw new FlowgateException(
                    ErrorCode.PROJECT_NOT_FOUND, "projects: no project " + unknown);
              }
              return tokens.create(grant, who.subject());
            })
        .map(t -> Response.created(URI.create("/api/v1/tokens/" + t.id())).entity(t).build());
  }

  @GET
  @Operation(summary = "List tokens (admin), without secrets, with their last use")
  public Uni<Page> list(
      @QueryParam("limit") String limitText, @QueryParam("after") String afterText) {
    int limit = (int) QueryNumber.of("limit", limitText, 100, 1, 500);
    long after = QueryNumber.of("after", afterText, 0, 0, Long.MAX_VALUE);
    return tokens
        .list(after, limit)
        .map(
            items ->
                new Page(items, items.size() == limit ? items.get(items.size() - 1).id() : null));
  }

  @DELETE
  @Path("/{id}")
  public Uni<Response> revoke(@PathParam("id") long id) {
    Caller who = caller.get();
    return tokens
        .revoke(id, who.subject())
        .map(
            revoked -> {
              if (!revoked) {
                throw new FlowgateException(ErrorCode.NOT_FOUND, "no active token " + id);
              }
              return Response.noContent().build();
            });
  }

  private static void validate(NewToken body) {
    if (body == null || body.name() == null || !body.name().matches("[A-Za-z0-9 ._-]{1,100}")) {
      throw invalid("name: 1-100 of [A-Za-z0-9 ._-]");
    }
    boolean admin = Boolean.TRUE.equals(body.admin());
    if (!admin && (body.projects() == null || body.projects().isEmpty())) {
      throw invalid("projects: a non-admin token needs at least one project");
    }
    if (body.projects() != null
        && (body.projects().size() > 100 || body.projects().contains(null))) {
      throw invalid("projects: at most 100 project codes, none null");
    }
    if (body.scopes() != null
        && (body.scopes().isEmpty()
            || body.scopes().contains(null)
            || !SCOPES.containsAll(body.scopes()))) {
      throw invalid("scopes: a non-empty subset of " + SCOPES);
    }
    if (body.expiresInSeconds() != null
        && (body.expiresInSeconds() < 1 || body.expiresInSeconds() > 366L * 24 * 3600)) {
      throw invalid("expiresInSeconds: between 1 and one year");
    }
    Caller.RateLimit limit = body.rateLimit();
    if (limit != null
        && (limit.perSecond() < 1
            || limit.perSecond() > MAX_RATE
            || limit.burst() < 1
            || limit.burst() > MAX_RATE)) {
      throw invalid("rateLimit: perSecond and burst between 1 and " + MAX_RATE);
    }
  }

  private static FlowgateException invalid(String detail) {
    return new FlowgateException(ErrorCode.VALIDATION_FAILED, detail);
  }
}
