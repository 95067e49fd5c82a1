package io.flowgate.engine;

import java.util.EnumSet;
import java.util.Set;

/**
 * States of a task attempt, as stored in {@code task_instance.state} (the SQL check constraint
 * lists the same names): {@code SUBMITTED → DISPATCHED → RUNNING → SUCCESS | FAILURE | STOPPED}; a
 * retry is a new attempt.
 */
public enum TaskState {
  SUBMITTED,
  DISPATCHED,
  RUNNING,
  SUCCESS,
  FAILURE,
  STOPPED;

  /** States no transition leaves. */
  public static final Set<TaskState> FINAL = EnumSet.of(SUCCESS, FAILURE, STOPPED);

  /** States of an attempt that still has to run or runs now. */
  public static final Set<TaskState> ACTIVE = EnumSet.of(SUBMITTED, DISPATCHED, RUNNING);

  public boolean isFinal() {
    return FINAL.contains(this);
  }

  public boolean isActive() {
    return ACTIVE.contains(this);
  }

  public static TaskState of(String stored) {
    return valueOf(stored);
  }
}
