package io.flowgate.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.flowgate.store.FailureStrategy;
import io.flowgate.store.Priority;
import java.time.OffsetDateTime;
import java.util.Map;

/** Body of a start: every field optional. */
public record StartRequest(
    Map<String, String> params,
    Priority priority,
    FailureStrategy failureStrategy,
    @JsonDeserialize(using = ScheduleTimeJson.class) OffsetDateTime scheduleTime,
    String workerGroup,
    Boolean dryRun) {

  public static final StartRequest EMPTY = new StartRequest(null, null, null, null, null, null);
}
