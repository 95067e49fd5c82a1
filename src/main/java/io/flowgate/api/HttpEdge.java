package io.flowgate.api;

import io.flowgate.config.RequestConfig;
import io.flowgate.observability.ErrorCode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The first handler of every HTTP request: puts the server span's {@code traceparent} on every
 * response, errors included, and answers an oversized body with 413 PAYLOAD_TOO_LARGE before it is
 * read.
 */
@ApplicationScoped
public class HttpEdge {

  private final long maxBody;

  public HttpEdge(RequestConfig config) {
    this.maxBody = config.maxBody();
  }

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    String uri = ctx.request().uri();
    // "instances:batch" may arrive with its colon percent-encoded; route it like the raw form
    if (uri.contains("%3A") || uri.contains("%3a")) {
      ctx.reroute(ctx.request().method(), uri.replace("%3A", ":").replace("%3a", ":"));
      return;
    }
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()) {
      String traceparent =
          "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
      ctx.addHeadersEndHandler(v -> ctx.response().putHeader("traceparent", traceparent));
    }
    String length = ctx.request().getHeader("Content-Length");
    if (length != null && tooLarge(length)) {
      var response =
          Problems.response(
              ctx.normalizedPath(),
              ErrorCode.PAYLOAD_TOO_LARGE,
              "the request body exceeds " + maxBody + " bytes",
              0);
      ctx.response()
          .setStatusCode(413)
          .putHeader("Content-Type", response.getMediaType().toString())
          .putHeader("Connection", "close")
          .end(Json.encode(response.getEntity()));
      return;
    }
    ctx.next();
  }

  private boolean tooLarge(String length) {
    try {
      return Long.parseLong(length.trim()) > maxBody;
    } catch (NumberFormatException e) {
      return true;
    }
  }
}
