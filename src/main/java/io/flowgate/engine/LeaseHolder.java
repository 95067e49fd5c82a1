package io.flowgate.engine;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;

/**
 * A replica that holds leases in the store, master or worker: its owner name, the lease length and
 * the heartbeat loop that renews what it holds. Subclasses say what renewing and releasing mean for
 * their rows; stopping the heartbeat without releasing is how a replica dies.
 */
public abstract class LeaseHolder {

  private final String owner;
  private final Pool pool;
  private final Duration lease;
  private final PollingLoop heartbeat;

  protected LeaseHolder(
      String kind,
      String owner,
      Pool pool,
      Vertx vertx,
      Duration lease,
      Duration heartbeat,
      EngineMetrics metrics) {
    this.owner = owner;
    this.pool = pool;
    this.lease = lease;
    this.heartbeat =
        new PollingLoop(
            kind + "-heartbeat-" + owner,
            vertx,
            heartbeat,
            this::renew,
            metrics.loopError(kind + ".heartbeat"));
  }

  public final String owner() {
    return owner;
  }

  /** Renews the leases this replica holds; tells how many were renewed. */
  protected abstract Uni<Integer> renew();

  protected final Pool pool() {
    return pool;
  }

  /** The lease length in seconds, as the SQL {@code make_interval(secs => ...)} takes it. */
  protected final double leaseSeconds() {
    return lease.toMillis() / 1000.0;
  }

  protected final void startHeartbeat() {
    heartbeat.start();
  }

  protected final void stopHeartbeat() {
    heartbeat.stop();
  }

  protected final boolean heartbeatBusy() {
    return heartbeat.busy();
  }
}
