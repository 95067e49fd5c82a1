package io.flowgate.definition;

import java.time.OffsetDateTime;

/** A stored workflow definition at its latest version. */
public record Workflow(
    long code,
    long projectCode,
    String name,
    String description,
    int version,
    String releaseState,
    WorkflowSpec definition,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  public boolean online() {
    return "ONLINE".equals(releaseState);
  }
}
