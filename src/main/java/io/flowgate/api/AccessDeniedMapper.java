package io.flowgate.api;

import io.flowgate.api.security.Caller;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.flowgate.problem.Problems;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.PermissionsAllowed;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Method;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * An authenticated caller an endpoint's declaration refuses: 403 with the code of what the endpoint
 * declares, never the framework's empty 403. A project permission ({@code @PermissionsAllowed})
 * answers PROJECT_ACCESS_DENIED naming the scope and project; the admin role and an endpoint that
 * declares nothing (denied by default) answer FORBIDDEN. A refused start is counted and names its
 * Idempotency-Key like any other refused start.
 */
public class AccessDeniedMapper {

  private final StartService starts;

  public AccessDeniedMapper(StartService starts) {
    this.starts = starts;
  }

  @ServerExceptionMapper
  public Response forbidden(
      ForbiddenException e, ResourceInfo resource, UriInfo uri, HttpHeaders headers) {
    Method method = resource.getResourceMethod();
    FlowgateException refusal = refusal(method, resource.getResourceClass(), uri);
    if (method != null && method.getDeclaringClass() == StartResource.class) {
      refusal = starts.refused(refusal, keyOf(headers));
    }
    ProblemMapper.markSpan(refusal.code());
    return Problems.response(
        ProblemMapper.path(uri), refusal.code(), refusal.getMessage(), 0, refusal.idempotencyKey());
  }

  private static FlowgateException refusal(Method method, Class<?> type, UriInfo uri) {
    PermissionsAllowed permission =
        method == null ? null : method.getAnnotation(PermissionsAllowed.class);
    String project = uri.getPathParameters().getFirst("projectCode");
    if (permission != null && project != null) {
      return Caller.denied(Long.parseLong(project), permission.value()[0]);
    }
    boolean admin =
        (method != null && method.isAnnotationPresent(RolesAllowed.class))
            || (type != null && type.isAnnotationPresent(RolesAllowed.class));
    return new FlowgateException(
        ErrorCode.FORBIDDEN,
        admin ? "this call needs an admin token" : "this call is not open to any token");
  }

  // the key the start would have used; one given twice names none, as the start itself refuses it
  private static String keyOf(HttpHeaders headers) {
    try {
      return StartResource.idempotencyKey(headers);
    } catch (FlowgateException twoKeys) {
      return null;
    }
  }
}
