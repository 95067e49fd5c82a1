package io.flowgate.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Set;

/** Roles of this process and the timings of the master, the workers and the reconciler. */
public interface EngineConfig {

  /** Which roles this process runs: api, master, worker. */
  @WithDefault("api,master,worker")
  Set<Role> roles();

  Master master();

  Worker worker();

  Reconciler reconciler();

  @WithName("notify")
  Notify notifications();

  /** A role a process can run. */
  enum Role {
    api,
    master,
    worker
  }

  /** Master timings. */
  interface Master {
    /** Claim lease length; an instance whose lease expired is taken over by another master. */
    @WithDefault("30s")
    Duration lease();

    /** How often held leases are renewed. */
    @WithDefault("10s")
    Duration heartbeat();

    /** Fallback poll interval when no notification arrives. */
    @WithDefault("500ms")
    Duration pollInterval();

    /** Instances claimed per claim query. */
    @WithDefault("200")
    int claimBatch();

    /**
     * Whether the master runs in-process tasks (NOOP) itself, in its claim or advance transaction,
     * instead of dispatching them to a worker.
     */
    @WithDefault("true")
    boolean inlineTasks();
  }

  /** Worker timings. */
  interface Worker {
    /** Claim lease length of a running task. */
    @WithDefault("30s")
    Duration lease();

    /** How often held task leases are renewed. */
    @WithDefault("10s")
    Duration heartbeat();

    /** Fallback poll interval when no notification arrives. */
    @WithDefault("500ms")
    Duration pollInterval();

    /** Tasks claimed per claim query. */
    @WithDefault("100")
    int claimBatch();

    /** Tasks running at once in this worker. */
    @WithDefault("256")
    int maxConcurrent();

    /** Timeout of an HTTP task when the task sets none. */
    @WithDefault("30s")
    Duration httpTimeout();

    /**
     * Longest a refused result report is retried (with backoff, the lease held meanwhile) before
     * the attempt is released to be run again.
     */
    @WithDefault("60s")
    Duration reportRetry();

    /**
     * After SIGTERM: longest running tasks are given to finish and report before the rest are
     * released (and run again elsewhere). Keep it inside the pod's termination grace period.
     */
    @WithDefault("20s")
    Duration drainPeriod();

    /**
     * Whether a report that stores the last unfinished task of an instance also ends the instance
     * (SUCCESS or FAILURE, as the master would) in the same transaction.
     */
    @WithDefault("true")
    boolean completeInstances();
  }

  /** Reconciler timings. */
  interface Reconciler {
    /** SUBMITTED age that counts as stuck. */
    @WithDefault("60s")
    Duration claimSla();

    /** How often the reconciler looks. */
    @WithDefault("5s")
    Duration interval();

    /**
     * Added to a RUNNING task's timeout (the HTTP timeout when it sets none): past that, the
     * attempt is failed as overdue even if its worker still renews the lease.
     */
    @WithDefault("60s")
    Duration taskTimeoutMargin();

    /** A RUNNING instance with no state change for this long counts as making no progress. */
    @WithDefault("10m")
    Duration noProgress();
  }

  /** Cross-process wake-ups through PostgreSQL NOTIFY. */
  interface Notify {
    /** Longest a NOTIFY is held back so that several commits share one (polling stays the net). */
    @WithDefault("20ms")
    Duration coalesce();
  }
}
