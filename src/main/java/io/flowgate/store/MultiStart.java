package io.flowgate.store;

import java.util.List;

/**
 * Several instances that must be created together or not at all, e.g. the dates of a
 * DolphinScheduler complement, or one start that carries run options the batched path does not
 * write (start nodes, test flag).
 *
 * @param runs the instances, each with its own idempotency key and fingerprint
 * @param lockKey serializes concurrent writes of the same request (project and request key)
 * @param startNodes task codes every run executes; null runs the whole DAG
 * @param testFlag DS 3.2 testFlag: the runs are test runs
 * @param complementOf the request key of a complement; null otherwise
 */
public record MultiStart(
    List<Run> runs,
    String lockKey,
    List<String> startNodes,
    boolean testFlag,
    String complementOf) {

  /**
   * One instance.
   *
   * @param runAfter index in {@code runs} of the instance this one waits for (serial dates); -1 for
   *     none
   */
  public record Run(StartCommand command, int runAfter) {}

  /** How the write resolved. */
  public enum Kind {
    CREATED,
    REPLAYED,
    KEY_REUSED
  }

  /** The instances in the order of {@code runs} (for KEY_REUSED: the one that holds the key). */
  public record Outcome(Kind kind, List<InstanceSummary> instances, long triggerCode) {}
}
