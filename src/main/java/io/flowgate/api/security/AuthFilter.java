package io.flowgate.api.security;

import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.Problems;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every call under {@code /api} and {@code /dolphinscheduler}: a {@code
 * Authorization: Bearer} token or the DolphinScheduler {@code token} header. Unknown, expired or
 * revoked tokens get 401 before any resource runs; a token past its rate limit gets 429
 * RATE_LIMITED, also before anything reaches admission. A client address that keeps presenting
 * refused tokens gets 429 AUTH_FAILURES_LIMITED ({@link FailedAuthLimiter}).
 */
public class AuthFilter {

  private final TokenService tokens;
  private final CurrentCaller current;
  private final RateLimiter limiter;
  private final FailedAuthLimiter failures;

  public AuthFilter(
      TokenService tokens, CurrentCaller current, RateLimiter limiter, FailedAuthLimiter failures) {
    this.tokens = tokens;
    this.current = current;
    this.limiter = limiter;
    this.failures = failures;
  }

  @ServerRequestFilter
  public Uni<Response> authenticate(ContainerRequestContext request, HttpServerRequest http) {
    String path = "/" + request.getUriInfo().getPath().replaceFirst("^/", "");
    if (!path.startsWith("/api/") && !path.startsWith("/dolphinscheduler/")) {
      return Uni.createFrom().nullItem();
    }
    String token = presented(request);
    String client = client(http);
    long blockedFor = failures.blockedFor(client);
    if (blockedFor > 0 && !tokens.answerableFromMemory(token)) {
      return Uni.createFrom().item(tooManyFailures(path, blockedFor));
    }
    return tokens
        .authenticate(token)
        .map(
            caller -> {
              if (caller == null) {
                failures.failed(client);
                return blockedFor > 0
                    ? tooManyFailures(path, blockedFor)
                    : Problems.response(path, ErrorCode.UNAUTHENTICATED, why(request, token), 0);
              }
              long retryAfter = limiter.tryAcquire(caller, 1);
              if (retryAfter > 0) {
                return Problems.response(
                    path,
                    ErrorCode.RATE_LIMITED,
                    "the token's rate limit is spent; retry after " + retryAfter + "s",
                    retryAfter);
              }
              current.set(caller);
              return null;
            });
  }

  private static Response tooManyFailures(String path, long retryAfter) {
    return Problems.response(
        path,
        ErrorCode.AUTH_FAILURES_LIMITED,
        "too many failed authentications from this client; retry after " + retryAfter + "s",
        retryAfter);
  }

  private static String client(HttpServerRequest http) {
    SocketAddress address = http.remoteAddress();
    return address == null ? "unknown" : address.hostAddress();
  }

  // a DS client logged in with a session: Flowgate has no sessions, only tokens
  private static String why(ContainerRequestContext request, String token) {
    if (token == null
        && (request.getHeaderString("sessionId") != null
            || request.getCookies().containsKey("sessionId"))) {
      return "sessions (sessionId) are not supported: use a token, sent as the header 'token'";
    }
    return "a valid, unexpired token is required";
  }

  private static String presented(ContainerRequestContext request) {
    String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return request.getHeaderString("token");
  }
}
