package io.flowgate.dolphinscheduler;

import io.flowgate.problem.FlowgateException;
import io.flowgate.problem.Problems;
import io.opentelemetry.api.trace.Span;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Path codes as Spring binds {@code @PathVariable long}, and the answers of refusals. */
final class DsPaths {

  private DsPaths() {}

  /** A path code; not a long: Spring's type mismatch, answered with the endpoint's code. */
  static long code(String text, DsStatus onError) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new DsException(onError, "the path code must be a 64-bit integer");
    }
  }

  /** A business refusal: HTTP 200 with DS's code and message, as DS answers it. */
  static Response answer(DsException e, String key, boolean chinese) {
    Span.current().setAttribute("flowgate.error.code", "DS_" + e.status().code());
    Response.ResponseBuilder r =
        Response.ok(
                DsResult.error(
                    e.status().code(), e.msg(chinese), Problems.traceId(), key, e.detail()))
            .type(MediaType.APPLICATION_JSON_TYPE);
    if (key != null) {
      r.header(DolphinCompatResource.IDEMPOTENCY_KEY, key);
    }
    return r.build();
  }

  /**
   * A Flowgate error: overload and store trouble keep their 429/503 and Retry-After; anything else
   * is a business refusal in DS's terms.
   */
  static Response answer(FlowgateException e, String key, boolean chinese) {
    RuntimeException mapped = DsErrors.of(e);
    if (mapped instanceof DsException ds) {
      return answer(ds, key, chinese);
    }
    Span.current().setAttribute("flowgate.error.code", e.code().name());
    Response.ResponseBuilder r =
        Response.status(e.code().status())
            .entity(
                DsResult.error(
                    DsErrors.code(e.code()),
                    DsStatus.START_PROCESS_INSTANCE_ERROR.localized(chinese),
                    Problems.traceId(),
                    key,
                    e.code() + ": " + e.getMessage()))
            .type(MediaType.APPLICATION_JSON_TYPE)
            .header("Retry-After", Math.max(1, e.retryAfterSeconds()));
    if (key != null) {
      r.header(DolphinCompatResource.IDEMPOTENCY_KEY, key);
    }
    return r.build();
  }
}
