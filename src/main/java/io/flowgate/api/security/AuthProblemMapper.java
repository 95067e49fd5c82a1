package io.flowgate.api.security;

import io.flowgate.problem.Problems;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A call that reached an endpoint without an identity it accepts: 401 UNAUTHENTICATED (or 429
 * AUTH_FAILURES_LIMITED for a client that keeps failing) in the service's problem body, never the
 * framework's empty 401.
 */
public class AuthProblemMapper {

  private final TokenAuthMechanism mechanism;

  public AuthProblemMapper(TokenAuthMechanism mechanism) {
    this.mechanism = mechanism;
  }

  @ServerExceptionMapper
  public Response unauthorized(UnauthorizedException e, RoutingContext ctx) {
    return answer(ctx, mechanism.anonymous(ctx.request()));
  }

  @ServerExceptionMapper
  public Response authenticationFailed(AuthenticationFailedException e, RoutingContext ctx) {
    TokenAuthMechanism.Refusal refusal = TokenAuthMechanism.refusalOf(ctx);
    return answer(ctx, refusal != null ? refusal : mechanism.anonymous(ctx.request()));
  }

  private static Response answer(RoutingContext ctx, TokenAuthMechanism.Refusal refusal) {
    return Problems.response(
        ctx.normalizedPath(), refusal.code(), refusal.detail(), refusal.retryAfter());
  }
}
