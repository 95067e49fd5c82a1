package io.flowgate.problem;

import io.opentelemetry.api.trace.Span;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Error answers: RFC 9457 problem+json for the native API, the DolphinScheduler {@code Result}
 * shape for the compatible one. Both carry the stable code and the trace id, and Retry-After when
 * the client should come back.
 */
public final class Problems {

  public static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");
  private static final String DOLPHIN_PREFIX = "/dolphinscheduler";
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private Problems() {}

  public static Response response(String path, ErrorCode code, String detail, long retryAfter) {
    return response(path, code, detail, retryAfter, null);
  }

  /**
   * An error answer to a start: names the Idempotency-Key it used (sent or generated) in the header
   * and, for the native API, in the body, so that OUTCOME_UNKNOWN can be resolved by that key.
   */
  public static Response response(
      String path, ErrorCode code, String detail, long retryAfter, String idempotencyKey) {
    boolean dolphin = path != null && path.startsWith(DOLPHIN_PREFIX);
    Map<String, Object> problem = problemBody(code, detail);
    if (idempotencyKey != null) {
      problem.put("idempotencyKey", idempotencyKey);
    }
    // DolphinScheduler's transport: business errors are HTTP 200 with the code in the body; only
    // authentication (401) and overload or store trouble (429/503 + Retry-After) keep a status
    int status =
        !dolphin || code.retryable() || code == ErrorCode.UNAUTHENTICATED ? code.status() : 200;
    Response.ResponseBuilder builder =
        Response.status(status)
            .entity(dolphin ? dolphinBody(code, detail) : problem)
            .type(dolphin ? MediaType.APPLICATION_JSON_TYPE : PROBLEM_JSON);
    if (code.retryable()) {
      builder.header("Retry-After", Math.max(1, retryAfter));
    }
    if (idempotencyKey != null) {
      builder.header(IDEMPOTENCY_KEY, idempotencyKey);
    }
    return builder.build();
  }

  public static Map<String, Object> problemBody(ErrorCode code, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "https://flowgate.io/problems/" + code.name().toLowerCase().replace('_', '-'));
    body.put("title", code.title());
    body.put("status", code.status());
    body.put("detail", detail);
    body.put("code", code.name());
    body.put("traceId", traceId());
    return body;
  }

  public static Map<String, Object> dolphinBody(ErrorCode code, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", DolphinCodes.of(code));
    // overload answers are Flowgate's deliberate difference and have no DS text: they keep their
    // code name; everything else speaks DS's words
    body.put("msg", (code.retryable() ? code.name() : DolphinCodes.message(code)) + ": " + detail);
    body.put("data", null);
    body.put("success", false);
    body.put("failed", true);
    body.put("traceId", traceId());
    body.put("detail", code.name() + ": " + detail);
    return body;
  }

  public static String traceId() {
    return Span.current().getSpanContext().getTraceId();
  }
}
