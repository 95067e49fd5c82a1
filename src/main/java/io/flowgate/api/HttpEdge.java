package io.flowgate.api;

import io.flowgate.config.RequestConfig;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.Problems;
import io.flowgate.store.TraceParents;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.WebApplicationException;
import java.util.Map;

/**
 * The first handler of every HTTP request: puts the server span's {@code traceparent} on every
 * response, errors included, answers an oversized body with 413 PAYLOAD_TOO_LARGE before it is read
 * and a path with matrix parameters ({@code ;}) with 404, and turns any failure that reaches the
 * router into a problem with a code.
 */
@ApplicationScoped
public class HttpEdge {

  /** Sent with every answer, including those refused here before any resource ran. */
  static final Map<String, String> SECURITY_HEADERS =
      Map.of(
          "X-Content-Type-Options", "nosniff",
          "X-Frame-Options", "DENY",
          "Cache-Control", "no-store",
          "Referrer-Policy", "no-referrer",
          "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");

  private final long maxBody;

  public HttpEdge(RequestConfig config) {
    this.maxBody = config.maxBody();
  }

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE).handler(this::handle).failureHandler(HttpEdge::failed);
  }

  // a failure no exception mapper answered (e.g. while the body was still arriving) still gets a
  // definitive answer with a code, never the framework's error page with its stack trace
  private static void failed(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.next();
      return;
    }
    int status =
        ctx.failure() instanceof WebApplicationException web
            ? web.getResponse().getStatus()
            : ctx.statusCode();
    ErrorCode code =
        switch (status) {
          case 400 -> ErrorCode.BAD_REQUEST;
          case 404 -> ErrorCode.NOT_FOUND;
          case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
          case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
          case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
          default -> ErrorCode.INTERNAL_ERROR;
        };
    if (code == ErrorCode.INTERNAL_ERROR) {
      Log.errorf(ctx.failure(), "unexpected failure on %s", ctx.normalizedPath());
    }
    refuse(ctx, code, code.title());
  }

  private void handle(RoutingContext ctx) {
    ctx.addHeadersEndHandler(v -> SECURITY_HEADERS.forEach(ctx.response().headers()::set));
    String uri = ctx.request().uri();
    // "instances:batch" may arrive with its colon percent-encoded; route it like the raw form
    if (uri.contains("%3A") || uri.contains("%3a")) {
      ctx.reroute(ctx.request().method(), uri.replace("%3A", ":").replace("%3a", ":"));
      return;
    }
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()) {
      String traceparent = TraceParents.of(span).traceParent();
      ctx.addHeadersEndHandler(v -> ctx.response().putHeader("traceparent", traceparent));
    }
    String length = ctx.request().getHeader("Content-Length");
    if (length != null && tooLarge(length)) {
      refuse(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "the request body exceeds " + maxBody + " bytes");
      return;
    }
    // Flowgate has no matrix parameters: ".../workflows/7;x/instances" names no resource, rather
    // than silently meaning workflow 7
    String path = ctx.request().path();
    if (path != null && path.indexOf(';') >= 0) {
      refuse(ctx, ErrorCode.NOT_FOUND, "no resource at this path");
      return;
    }
    if (isEmptyNativePost(ctx, path)) {
      // the start body is optional: "POST .../instances" with nothing at all is a start with the
      // defaults, not a 415 for the Content-Type it had no reason to send
      ctx.request().headers().set("Content-Type", "application/json");
    }
    ctx.next();
  }

  private static boolean isEmptyNativePost(RoutingContext ctx, String path) {
    var headers = ctx.request().headers();
    return ctx.request().method() == HttpMethod.POST
        && path != null
        && path.startsWith("/api/")
        && headers.get("Content-Type") == null
        && headers.get("Transfer-Encoding") == null
        && ("0".equals(headers.get("Content-Length")) || headers.get("Content-Length") == null);
  }

  static void refuse(RoutingContext ctx, ErrorCode code, String detail) {
    var response = Problems.response(ctx.normalizedPath(), code, detail, 0);
    ctx.response()
        .setStatusCode(code.status())
        .putHeader("Content-Type", response.getMediaType().toString())
        .putHeader("Connection", "close")
        .end(Json.encode(response.getEntity()));
  }

  private boolean tooLarge(String length) {
    try {
      return Long.parseLong(length.trim()) > maxBody;
    } catch (NumberFormatException e) {
      return true;
    }
  }
}
