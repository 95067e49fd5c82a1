package io.flowgate.dolphinscheduler;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * DolphinScheduler's {@code Result} {@code {code, msg, data, success, failed}}, plus what Flowgate
 * adds for a client that looks: {@code traceId}, the {@code idempotencyKey} a start used (also in
 * the {@code Idempotency-Key} header) and, on errors, a {@code detail} naming what was wrong. DS's
 * own clients read JSON with unknown fields ignored (JSONUtils: FAIL_ON_UNKNOWN_PROPERTIES off).
 */
@JsonPropertyOrder({"code", "msg", "data", "success", "failed"})
public record DsResult(
    int code,
    String msg,
    @JsonInclude(JsonInclude.Include.ALWAYS) Object data,
    boolean success,
    boolean failed,
    @JsonInclude(JsonInclude.Include.NON_NULL) String traceId,
    @JsonInclude(JsonInclude.Include.NON_NULL) String idempotencyKey,
    @JsonInclude(JsonInclude.Include.NON_NULL) String detail) {

  public static DsResult ok(Object data, String traceId, String idempotencyKey) {
    return ok(data, traceId, idempotencyKey, false);
  }

  /** Success, with DS's Chinese "success" text when the client asked for Chinese. */
  public static DsResult ok(Object data, String traceId, String idempotencyKey, boolean chinese) {
    return new DsResult(
        0, DsStatus.SUCCESS.localized(chinese), data, true, false, traceId, idempotencyKey, null);
  }

  public static DsResult error(int code, String msg, String traceId, String key, String detail) {
    return new DsResult(code, msg, null, false, true, traceId, key, detail);
  }
}
