package io.flowgate.api.security;

import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.Problems;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Per-token rate limit at the door: an authenticated call spends one permit of its token's bucket
 * before any resource runs, so one token's flood is refused with 429 RATE_LIMITED and never reaches
 * admission.
 */
public class RateLimitFilter {

  private final RateLimiter limiter;

  public RateLimitFilter(RateLimiter limiter) {
    this.limiter = limiter;
  }

  @ServerRequestFilter
  public Response limit(RoutingContext ctx) {
    if (!(ctx.user() instanceof QuarkusHttpUser user)) {
      return null;
    }
    Caller caller = user.getSecurityIdentity().getAttribute(Caller.ATTRIBUTE);
    long retryAfter = caller == null ? 0 : limiter.tryAcquire(caller, 1);
    if (retryAfter == 0) {
      return null;
    }
    return Problems.response(
        ctx.normalizedPath(),
        ErrorCode.RATE_LIMITED,
        "the token's rate limit is spent; retry after " + retryAfter + "s",
        retryAfter);
  }
}
