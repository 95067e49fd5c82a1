package io.flowgate.api;

import io.flowgate.config.EngineConfig;
import io.flowgate.problem.ErrorCode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * On a process without the {@code api} role (a master or worker pod), every path but health and
 * metrics answers 404: the API, admin endpoints included, is served by api pods only. One route
 * guard at the HTTP edge rather than a check in each resource.
 */
@ApplicationScoped
public class ApiRoleGuard {

  private final boolean servesApi;

  public ApiRoleGuard(EngineConfig config) {
    this.servesApi = config.roles().contains(EngineConfig.Role.api);
  }

  void install(@Observes Router router) {
    if (!servesApi) {
      // right after HttpEdge, which adds the security headers and the traceparent
      router.route().order(Integer.MIN_VALUE + 1).handler(ApiRoleGuard::handle);
    }
  }

  private static void handle(RoutingContext ctx) {
    if (stillServed(ctx.normalizedPath())) {
      ctx.next();
    } else {
      HttpEdge.refuse(ctx, ErrorCode.NOT_FOUND, "this pod does not run the api role");
    }
  }

  static boolean stillServed(String path) {
    return path.equals("/q/metrics")
        || path.startsWith("/q/metrics/")
        || path.equals("/q/health")
        || path.startsWith("/q/health/");
  }
}
