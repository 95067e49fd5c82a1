package io.flowgate.worker;

import io.flowgate.config.EngineConfig;
import io.flowgate.engine.EngineMetrics;
import io.flowgate.engine.Notifications;
import io.flowgate.engine.PollingLoop;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One worker replica: claims due tasks while fewer than {@code max-concurrent} run, runs each
 * without blocking, and renews the leases of those it runs.
 */
public final class Worker {

  private static final String RENEW =
      "update task_instance set lease_expires_at = now() + make_interval(secs => $2)"
          + " where id in (select id from task_instance where lease_owner = $1"
          + "   and state = 'RUNNING' for no key update skip locked)"
          + " and lease_owner = $1 and state = 'RUNNING'";
  private static final String LOST =
      "select id from task_instance where id = any($1)"
          + " and (state <> 'RUNNING' or lease_owner is distinct from $2)";
  private static final String RELEASE =
      "update task_instance set lease_expires_at = now()"
          + " where lease_owner = $1 and state = 'RUNNING'";

  private final String owner;
  private final Pool pool;
  private final EngineConfig.Worker config;
  private final Notifications notifications;
  private final TaskClaimer claimer;
  private final TaskRunner runner;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<Long, AtomicReference<Cancellable>> running = new ConcurrentHashMap<>();
  private final PollingLoop claim;
  private final PollingLoop heartbeat;
  private final Runnable wake;

  Worker(
      String owner,
      Pool pool,
      Vertx vertx,
      EngineConfig.Worker config,
      Notifications notifications,
      TaskRunner runner,
      EngineMetrics metrics) {
    this.owner = owner;
    this.pool = pool;
    this.config = config;
    this.notifications = notifications;
    this.claimer = new TaskClaimer(owner, pool, config.lease());
    this.runner = runner;
    this.claim =
        new PollingLoop(
            "tasks-" + owner,
            vertx,
            config.pollInterval(),
            this::claimAndRun,
            metrics.loopError("worker.claim"));
    this.heartbeat =
        new PollingLoop(
            "task-heartbeat-" + owner,
            vertx,
            config.heartbeat(),
            this::renew,
            metrics.loopError("worker.heartbeat"));
    this.wake = claim::wake;
  }

  public String owner() {
    return owner;
  }

  /** Tasks this worker runs now. */
  public int inFlight() {
    return inFlight.get();
  }

  public void start() {
    notifications.listen(Notifications.TASKS, wake);
    claim.start();
    heartbeat.start();
    Log.infof("Worker %s started", owner);
  }

  /** Stops claiming and renewing; running tasks' leases expire and the reconciler re-dispatches. */
  public void stop() {
    notifications.unlisten(Notifications.TASKS, wake);
    claim.stop();
    heartbeat.stop();
  }

  /** Stops and lets the reconciler re-dispatch this worker's running tasks at once. */
  public Uni<Void> stopAndRelease() {
    stop();
    return pool.preparedQuery(RELEASE).execute(Tuple.of(owner)).replaceWithVoid();
  }

  private Uni<Integer> claimAndRun() {
    int free = Math.min(config.claimBatch(), config.maxConcurrent() - inFlight.get());
    return claimer
        .claim(free)
        .invoke(
            tasks ->
                tasks.forEach(
                    task -> {
                      inFlight.incrementAndGet();
                      AtomicReference<Cancellable> handle = new AtomicReference<>();
                      running.put(task.id(), handle);
                      handle.set(
                          runner
                              .run(task, owner)
                              .subscribe()
                              .with(done -> finished(task.id()), failure -> finished(task.id())));
                    }))
        .map(tasks -> tasks.size() < free ? 0 : tasks.size());
  }

  private void finished(long taskId) {
    if (running.remove(taskId) != null) {
      inFlight.decrementAndGet();
      claim.wake();
    }
  }

  /** Renews held leases and cancels tasks this worker no longer holds (stopped or taken over). */
  private Uni<Integer> renew() {
    double lease = config.lease().toMillis() / 1000.0;
    Long[] held = running.keySet().toArray(new Long[0]);
    return pool.preparedQuery(RENEW)
        .execute(Tuple.of(owner, lease))
        .flatMap(v -> pool.preparedQuery(LOST).execute(Tuple.of(held, owner)))
        .invoke(
            lost ->
                lost.forEach(
                    row -> {
                      long id = row.getLong("id");
                      AtomicReference<Cancellable> task = running.get(id);
                      Cancellable handle = task == null ? null : task.get();
                      if (handle != null) {
                        Log.debugf("Worker %s cancels task %d: no longer its own", owner, id);
                        handle.cancel();
                        finished(id);
                      }
                    }))
        .replaceWith(0);
  }
}
