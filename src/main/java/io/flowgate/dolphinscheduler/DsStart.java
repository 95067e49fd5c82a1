package io.flowgate.dolphinscheduler;

import java.util.List;
import java.util.Map;

/**
 * A start-process-instance request after Spring-style binding and DS's defaults (ExecutorController
 * 3.2.2 lines 138-182): every field holds what DS would use.
 */
public record DsStart(
    long processDefinitionCode,
    String scheduleTime,
    String failureStrategy,
    List<String> startNodes,
    String taskDependType,
    String execType,
    String warningType,
    Integer warningGroupId,
    String runMode,
    String processInstancePriority,
    String workerGroup,
    String tenantCode,
    long environmentCode,
    int timeout,
    Map<String, String> startParams,
    Integer expectedParallelismNumber,
    int dryRun,
    int testFlag,
    String complementDependentMode,
    Integer version,
    boolean allLevelDependent,
    String executionOrder) {

  public boolean complement() {
    return "COMPLEMENT_DATA".equals(execType);
  }

  /** Whether the plain start path (admission, batched writer) can carry this start as asked. */
  public boolean plain() {
    return !complement() && startNodes.isEmpty() && testFlag == 0;
  }
}
