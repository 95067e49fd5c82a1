package io.flowgate.api;

import io.flowgate.store.FailureStrategy;
import io.flowgate.store.Priority;
import java.time.OffsetDateTime;
import java.util.Map;

/** Body of a start: every field optional. */
public record StartRequest(
    Map<String, String> params,
    Priority priority,
    FailureStrategy failureStrategy,
    OffsetDateTime scheduleTime,
    String workerGroup,
    Boolean dryRun) {

  public static final StartRequest EMPTY = new StartRequest(null, null, null, null, null, null);
}
