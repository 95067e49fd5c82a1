package io.flowgate.engine;

import java.util.EnumSet;
import java.util.Set;

/**
 * States of a workflow instance, as stored in {@code workflow_instance.state} (the SQL check
 * constraint lists the same names): {@code SUBMITTED → RUNNING → SUCCESS | FAILURE | STOPPED}, with
 * {@code STOPPING} between RUNNING and STOPPED when a stop was asked.
 */
public enum InstanceState {
  SUBMITTED,
  RUNNING,
  STOPPING,
  SUCCESS,
  FAILURE,
  STOPPED;

  /** States no transition leaves. */
  public static final Set<InstanceState> FINAL = EnumSet.of(SUCCESS, FAILURE, STOPPED);

  /** States of an instance a master holds the lease of. */
  public static final Set<InstanceState> OWNED = EnumSet.of(RUNNING, STOPPING);

  public boolean isFinal() {
    return FINAL.contains(this);
  }

  public static InstanceState of(String stored) {
    return valueOf(stored);
  }

  /** Whether the stored name is a final state. */
  public static boolean isFinal(String stored) {
    return of(stored).isFinal();
  }
}
