package io.flowgate.engine;

import io.flowgate.config.EngineConfig;
import io.flowgate.persistence.Notifications;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;

/**
 * One master replica: a claim loop, a DAG advance loop and a lease heartbeat, woken by
 * notifications and polling otherwise. {@link #stop} without release is how a master dies.
 */
public final class Master extends LeaseHolder {

  private static final String RENEW =
      "update workflow_instance set lease_expires_at = now() + make_interval(secs => $2)"
          + " where id in (select id from workflow_instance where lease_owner = $1"
          + "   and state in ('RUNNING', 'STOPPING') for no key update skip locked)"
          + " and lease_owner = $1 and state in ('RUNNING', 'STOPPING')";
  private static final String RELEASE =
      "update workflow_instance set lease_expires_at = now()"
          + " where lease_owner = $1 and state in ('RUNNING', 'STOPPING')";

  private final Notifications notifications;
  private final PollingLoop claim;
  private final PollingLoop advance;
  private final Runnable wakeClaim;
  private final Runnable wakeAdvance;

  Master(
      String owner,
      Pool pool,
      Vertx vertx,
      EngineConfig.Master config,
      Notifications notifications,
      InstanceClaimer claimer,
      DagAdvancer advancer,
      EngineMetrics metrics) {
    super("master", owner, pool, vertx, config.lease(), config.heartbeat(), metrics);
    this.notifications = notifications;
    Duration poll = config.pollInterval();
    this.claim =
        new PollingLoop(
            "claim-" + owner, vertx, poll, claimer::claimOnce, metrics.loopError("master.claim"));
    this.advance =
        new PollingLoop(
            "advance-" + owner,
            vertx,
            poll,
            advancer::advanceOnce,
            metrics.loopError("master.advance"));
    this.wakeClaim = claim::wake;
    this.wakeAdvance = advance::wake;
  }

  public void start() {
    notifications.listen(Notifications.INSTANCES, wakeClaim);
    notifications.listen(Notifications.RESULTS, wakeAdvance);
    claim.start();
    advance.start();
    startHeartbeat();
    Log.infof("Master %s started", owner());
  }

  /** Stops the loops; leases stay until they expire, as if this replica died. */
  public void stop() {
    notifications.unlisten(Notifications.INSTANCES, wakeClaim);
    notifications.unlisten(Notifications.RESULTS, wakeAdvance);
    claim.stop();
    advance.stop();
    stopHeartbeat();
  }

  /** Whether no step of this master is under way any more. */
  public boolean idle() {
    return !claim.busy() && !advance.busy() && !heartbeatBusy();
  }

  /** Stops and lets other masters take this one's instances over at once. */
  public Uni<Void> stopAndRelease() {
    stop();
    return pool().preparedQuery(RELEASE).execute(Tuple.of(owner())).replaceWithVoid();
  }

  /** Wakes the claim loop, e.g. for an instance found stuck. */
  public void wakeClaims() {
    claim.wake();
  }

  @Override
  protected Uni<Integer> renew() {
    return pool()
        .preparedQuery(RENEW)
        .execute(Tuple.of(owner(), leaseSeconds()))
        .invoke(rows -> Log.debugf("Master %s renewed %d leases", owner(), rows.rowCount()))
        .replaceWith(0);
  }
}
