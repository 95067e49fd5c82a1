package io.flowgate.observability;

import io.flowgate.config.BacklogConfig;
import io.flowgate.config.EngineConfig;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Backpressure from the engine's backlog: processes with the api role count the SUBMITTED instances
 * every {@code flowgate.backlog.admission-interval} (a scan capped just past the mark), and while
 * the count is above {@code flowgate.backlog.admission-high-water} new starts are refused with 429
 * ADMISSION_QUEUE_FULL + Retry-After before anything is written, instead of letting the backlog
 * grow without bound. A Vert.x timer rather than a scheduler extension, as in {@link
 * BacklogGauges}: the tick is one non-blocking query, and a tick still running skips the next.
 */
@ApplicationScoped
public class SubmittedBacklog {

  private static final String COUNT =
      "select count(*) as n from (select 1 from workflow_instance where state = 'SUBMITTED'"
          + " limit $1) s";

  private final Vertx vertx;
  private final Pool pool;
  private final int highWater;
  private final long intervalMillis;
  private final boolean enabled;
  private final AtomicBoolean ticking = new AtomicBoolean();
  private volatile long submitted;
  private long timer = -1;

  public SubmittedBacklog(Vertx vertx, Pool pool, BacklogConfig config, EngineConfig engine) {
    this.vertx = vertx;
    this.pool = pool;
    this.highWater = config.admissionHighWater();
    this.intervalMillis = Math.max(1, config.admissionInterval().toMillis());
    this.enabled = highWater > 0 && engine.roles().contains(EngineConfig.Role.api);
  }

  void start(@Observes StartupEvent event) {
    if (enabled) {
      timer = vertx.setPeriodic(0, intervalMillis, id -> tick());
    }
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Counts the backlog now (up to one past the mark); tells the count. */
  public Uni<Long> refresh() {
    return pool.preparedQuery(COUNT)
        .execute(Tuple.of(highWater + 1))
        .map(rows -> rows.iterator().next().getLong("n"))
        .invoke(n -> submitted = n);
  }

  /** Whether the last count was above the mark (always false when the check is off). */
  public boolean overHighWater() {
    return enabled && submitted > highWater;
  }

  /** Fails with {@link #refusal} while the last count was above the mark. */
  public void admit() {
    if (overHighWater()) {
      throw refusal();
    }
  }

  /** The answer to a start refused for the backlog: 429 ADMISSION_QUEUE_FULL + Retry-After. */
  public FlowgateException refusal() {
    // the count is taken again after one interval: that is when a retry may find room
    long retryAfter = Math.max(1, (intervalMillis + 999) / 1000);
    return new FlowgateException(
        ErrorCode.ADMISSION_QUEUE_FULL,
        "more than "
            + highWater
            + " instances wait to be claimed; nothing was written; retry after "
            + retryAfter
            + "s",
        retryAfter);
  }

  private void tick() {
    if (ticking.compareAndSet(false, true)) {
      refresh()
          .subscribe()
          .with(
              n -> ticking.set(false),
              failure -> {
                // the last count stands until a count succeeds: a store outage is answered by the
                // store's own refusals
                Log.debugf("Could not count the SUBMITTED backlog: %s", failure.getMessage());
                ticking.set(false);
              });
    }
  }
}
