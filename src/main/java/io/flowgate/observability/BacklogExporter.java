package io.flowgate.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exports the backlog once per cluster: the process that holds a PostgreSQL session advisory lock
 * on a connection taken from the shared pool counts SUBMITTED instances and DISPATCHED tasks and
 * registers the gauges; every other process tries the lock at each tick and exports nothing. When
 * the holder dies its session ends, the lock is free, and the next tick of another process takes
 * over.
 */
public final class BacklogExporter {

  /** Advisory lock key of the backlog exporter ("FGBACKLG" in ASCII). */
  public static final long LOCK_KEY = 0x4647_4241_434B_4C47L;

  public static final String SUBMITTED = "flowgate.backlog.instances.submitted";
  public static final String DISPATCHED = "flowgate.backlog.tasks.dispatched";

  private static final String COUNT =
      "select (select count(*) from (select 1 from workflow_instance where state = 'SUBMITTED'"
          + " limit $1) s), (select count(*) from (select 1 from task_instance"
          + " where state = 'DISPATCHED' limit $1) d)";

  private final Pool pool;
  private final MeterRegistry registry;
  private final Duration queryTimeout;
  private final int countCap;
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong dispatched = new AtomicLong();
  private SqlConnection holder;
  private List<Gauge> gauges = List.of();

  public BacklogExporter(Pool pool, MeterRegistry registry, Duration queryTimeout, int countCap) {
    this.pool = pool;
    this.registry = registry;
    this.queryTimeout = queryTimeout;
    this.countCap = countCap;
  }

  /** One tick: take the lock if free, count if held. Never fails; a failure steps down. */
  public synchronized Uni<Boolean> tick() {
    Uni<SqlConnection> held = holder != null ? Uni.createFrom().item(holder) : acquire();
    return held.onItem()
        .ifNotNull()
        .transformToUni(this::count)
        .onItem()
        .transform(counted -> counted != null)
        .ifNoItem()
        .after(queryTimeout)
        .fail()
        .onFailure()
        .recoverWithUni(
            failure -> {
              Log.warnf("backlog gauges: stepping down after %s", failure.toString());
              return release().replaceWith(false);
            });
  }

  /** Whether this process currently exports the gauges. */
  public synchronized boolean exporting() {
    return holder != null;
  }

  /** Gives the lock back (shutdown, or a failed count) and removes the gauges. */
  public synchronized Uni<Void> release() {
    SqlConnection connection = holder;
    holder = null;
    unregister();
    if (connection == null) {
      return Uni.createFrom().voidItem();
    }
    // unlock before the connection goes back to the pool: the session lock would travel with it
    return connection
        .preparedQuery("select pg_advisory_unlock($1)")
        .execute(Tuple.of(LOCK_KEY))
        .ifNoItem()
        .after(queryTimeout)
        .fail()
        .onItemOrFailure()
        .transformToUni((rows, failure) -> connection.close())
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  private Uni<SqlConnection> acquire() {
    return pool.getConnection()
        .flatMap(
            connection ->
                connection
                    .preparedQuery("select pg_try_advisory_lock($1)")
                    .execute(Tuple.of(LOCK_KEY))
                    .onFailure()
                    .call(connection::close)
                    .flatMap(rows -> kept(connection, rows.iterator().next().getBoolean(0))));
  }

  private synchronized Uni<SqlConnection> kept(SqlConnection connection, boolean locked) {
    if (!locked) {
      return connection.close().replaceWith((SqlConnection) null);
    }
    holder = connection;
    Log.infof("backlog gauges: this process exports them (advisory lock %d)", LOCK_KEY);
    return Uni.createFrom().item(connection);
  }

  private Uni<Row> count(SqlConnection connection) {
    return connection
        .preparedQuery(COUNT)
        .execute(Tuple.of(countCap))
        .map(rows -> rows.iterator().next())
        .invoke(
            row -> {
              submitted.set(row.getLong(0));
              dispatched.set(row.getLong(1));
              register();
            });
  }

  private synchronized void register() {
    if (gauges.isEmpty() && holder != null) {
      gauges =
          List.of(
              Gauge.builder(SUBMITTED, submitted, AtomicLong::get)
                  .description("Instances SUBMITTED and not yet claimed, cluster-wide (capped)")
                  .register(registry),
              Gauge.builder(DISPATCHED, dispatched, AtomicLong::get)
                  .description("Tasks DISPATCHED and not yet claimed, cluster-wide (capped)")
                  .register(registry));
    }
  }

  private void unregister() {
    gauges.forEach(registry::remove);
    gauges = List.of();
  }
}
