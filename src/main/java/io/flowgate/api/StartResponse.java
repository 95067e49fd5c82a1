package io.flowgate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.flowgate.store.InstanceSummary;
import java.time.OffsetDateTime;

/** The answer to a start that created (201) or replayed (200) an instance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StartResponse(
    long instanceId,
    long projectCode,
    long workflowCode,
    int workflowVersion,
    String state,
    String idempotencyKey,
    String traceId,
    OffsetDateTime createdAt,
    Boolean replayed) {

  static StartResponse of(InstanceSummary s, boolean replayed) {
    return new StartResponse(
        s.instanceId(),
        s.projectCode(),
        s.workflowCode(),
        s.workflowVersion(),
        s.state(),
        s.idempotencyKey(),
        s.traceId(),
        s.createdAt(),
        replayed ? Boolean.TRUE : null);
  }
}
