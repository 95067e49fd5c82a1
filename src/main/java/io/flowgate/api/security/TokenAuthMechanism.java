package io.flowgate.api.security;

import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.Problems;
import io.flowgate.store.StoreFailures;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Set;

/**
 * Authenticates calls under {@code /api} and {@code /dolphinscheduler}: an {@code Authorization:
 * Bearer} token or the DolphinScheduler {@code token} header, verified by {@link
 * TokenIdentityProvider}. No token means an anonymous caller, whom every endpoint there refuses 401
 * (see {@link AuthProblemMapper}). An unknown, expired or revoked token is answered 401
 * UNAUTHENTICATED; a client address that keeps presenting refused tokens is answered 429
 * AUTH_FAILURES_LIMITED ({@link FailedAuthLimiter}) before its token costs a store read. The
 * answers are the service's own problem bodies (DolphinScheduler's shape on its paths), written by
 * {@link #sendChallenge}.
 */
@ApplicationScoped
public class TokenAuthMechanism implements HttpAuthenticationMechanism {

  /** Why a request was refused at the door: what {@link #sendChallenge} answers. */
  public record Refusal(ErrorCode code, String detail, long retryAfter) {}

  private static final String REFUSAL = Refusal.class.getName();

  private final TokenService tokens;
  private final FailedAuthLimiter failures;

  public TokenAuthMechanism(TokenService tokens, FailedAuthLimiter failures) {
    this.tokens = tokens;
    this.failures = failures;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext ctx, IdentityProviderManager identities) {
    String token = guarded(ctx.normalizedPath()) ? presented(ctx.request()) : null;
    if (token == null) {
      return Uni.createFrom().nullItem();
    }
    String client = client(ctx.request());
    long blockedFor = failures.blockedFor(client);
    if (blockedFor > 0 && !tokens.answerableFromMemory(token)) {
      return refuse(ctx, tooManyFailures(blockedFor));
    }
    AuthenticationRequest request =
        HttpSecurityUtils.setRoutingContextAttribute(new TokenRequest(token), ctx);
    return identities
        .authenticate(request)
        .onFailure()
        .recoverWithUni(
            failure -> {
              if (!refusedToken(failure)) {
                return refuse(ctx, storeTrouble(ctx, failure));
              }
              failures.failed(client);
              return refuse(
                  ctx,
                  blockedFor > 0
                      ? tooManyFailures(blockedFor)
                      : new Refusal(
                          ErrorCode.UNAUTHENTICATED, "a valid, unexpired token is required", 0));
            });
  }

  /**
   * The answer to a call that reached a protected endpoint without a token: it counts as a failed
   * authentication of its client, as a refused token does.
   */
  public Refusal anonymous(HttpServerRequest request) {
    String client = client(request);
    long blockedFor = failures.blockedFor(client);
    failures.failed(client);
    return blockedFor > 0 ? tooManyFailures(blockedFor) : unauthenticated(request);
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext ctx) {
    return Uni.createFrom().item(new ChallengeData(401));
  }

  // the framework's challenge is an empty 401: this one is the service's problem body
  @Override
  public Uni<Boolean> sendChallenge(RoutingContext ctx) {
    Refusal refusal = ctx.get(REFUSAL);
    if (refusal == null) {
      refusal = anonymous(ctx.request());
    }
    write(ctx, refusal);
    return Uni.createFrom().item(true);
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(TokenRequest.class);
  }

  /** The refusal this request met at the door, or null. */
  static Refusal refusalOf(RoutingContext ctx) {
    return ctx.get(REFUSAL);
  }

  /** Writes {@code refusal} as the problem body its path speaks. */
  static void write(RoutingContext ctx, Refusal refusal) {
    if (ctx.response().ended()) {
      return;
    }
    Response answer =
        Problems.response(
            ctx.normalizedPath(), refusal.code(), refusal.detail(), refusal.retryAfter());
    var response =
        ctx.response()
            .setStatusCode(answer.getStatus())
            .putHeader("Content-Type", answer.getMediaType().toString());
    Object retryAfter = answer.getHeaders().getFirst("Retry-After");
    if (retryAfter != null) {
      response.putHeader("Retry-After", retryAfter.toString());
    }
    response.end(Json.encode(answer.getEntity()));
  }

  private static Uni<SecurityIdentity> refuse(RoutingContext ctx, Refusal refusal) {
    ctx.put(REFUSAL, refusal);
    return Uni.createFrom().failure(new AuthenticationFailedException(refusal.detail()));
  }

  // the provider refuses a token with a bare AuthenticationFailedException; anything else is the
  // store failing to answer, which says nothing about the token
  private static boolean refusedToken(Throwable failure) {
    return failure instanceof AuthenticationFailedException && failure.getCause() == null;
  }

  private static Refusal storeTrouble(RoutingContext ctx, Throwable failure) {
    Throwable cause =
        failure instanceof AuthenticationFailedException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (StoreFailures.isStoreUnavailable(cause)) {
      Log.warnf("store unavailable on %s: %s", ctx.normalizedPath(), cause.getMessage());
      return new Refusal(ErrorCode.STORE_UNAVAILABLE, "the store is unavailable; retry later", 1);
    }
    Log.errorf(cause, "unexpected failure on %s", ctx.normalizedPath());
    return new Refusal(ErrorCode.INTERNAL_ERROR, "unexpected error; see the trace", 0);
  }

  private static Refusal tooManyFailures(long retryAfter) {
    return new Refusal(
        ErrorCode.AUTH_FAILURES_LIMITED,
        "too many failed authentications from this client; retry after " + retryAfter + "s",
        retryAfter);
  }

  // a DS client logged in with a session: Flowgate has no sessions, only tokens
  private static Refusal unauthenticated(HttpServerRequest request) {
    boolean session =
        request.getHeader("sessionId") != null || request.getCookie("sessionId") != null;
    return new Refusal(
        ErrorCode.UNAUTHENTICATED,
        session
            ? "sessions (sessionId) are not supported: use a token, sent as the header 'token'"
            : "a valid, unexpired token is required",
        0);
  }

  static boolean guarded(String path) {
    return path != null && (path.startsWith("/api/") || path.startsWith("/dolphinscheduler/"));
  }

  private static String presented(HttpServerRequest request) {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return request.getHeader("token");
  }

  private static String client(HttpServerRequest request) {
    SocketAddress address = request.remoteAddress();
    return address == null ? "unknown" : address.hostAddress();
  }
}
