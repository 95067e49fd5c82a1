package io.flowgate.worker;

import io.flowgate.config.EngineConfig;
import io.flowgate.engine.EngineMetrics;
import io.flowgate.engine.LeaseHolder;
import io.flowgate.engine.PollingLoop;
import io.flowgate.engine.TaskState;
import io.flowgate.engine.Transitions;
import io.flowgate.engine.Transitions.Transition;
import io.flowgate.persistence.Notifications;
import io.flowgate.store.TaskRow;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One worker replica: claims due tasks while fewer than {@code max-concurrent} run, runs each
 * without blocking, and renews the leases of exactly the attempts it runs (and still reports). On
 * SIGTERM it drains: stops claiming, lets running tasks finish and report within the drain period,
 * then releases what is left for a re-run elsewhere.
 */
public final class Worker extends LeaseHolder {

  // only the attempts this process runs: a claim whose tasks were never started here (its commit
  // was confirmed too late) or a task given up is not renewed, its lease runs out
  private static final String RENEW =
      "update task_instance set lease_expires_at = now() + make_interval(secs => $3)"
          + " where id = any($1) and lease_owner = $2 and state = 'RUNNING' returning id";
  private static final String RELEASE =
      "update task_instance set state = 'DISPATCHED', lease_owner = null,"
          + " lease_expires_at = null, not_before = now(), updated_at = now()"
          + " where id = any($1) and lease_owner = $2 and state = 'RUNNING'"
          + " returning instance_id, task_code, attempt";
  private static final Duration DRAIN_CHECK = Duration.ofMillis(100);

  private final EngineConfig.Worker config;
  private final Notifications notifications;
  private final TaskClaimer claimer;
  private final TaskRunner runner;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<Long, AtomicReference<Cancellable>> running = new ConcurrentHashMap<>();
  private final PollingLoop claim;
  private final Runnable wake;
  private final AtomicReference<Uni<Void>> drain = new AtomicReference<>();

  Worker(
      String owner,
      Pool pool,
      Vertx vertx,
      EngineConfig.Worker config,
      Notifications notifications,
      TaskRunner runner,
      EngineMetrics metrics) {
    super("worker", owner, pool, vertx, config.lease(), config.heartbeat(), metrics);
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
    this.wake = claim::wake;
  }

  /** Tasks this worker runs now. */
  public int inFlight() {
    return inFlight.get();
  }

  public void start() {
    notifications.listen(Notifications.TASKS, wake);
    claim.start();
    startHeartbeat();
    Log.infof("Worker %s started", owner());
  }

  /** Stops claiming and renewing; running tasks' leases expire and the reconciler re-dispatches. */
  public void stop() {
    stopClaiming();
    stopHeartbeat();
  }

  /** Claims nothing more; running tasks go on and their leases are still renewed. */
  public void stopClaiming() {
    notifications.unlisten(Notifications.TASKS, wake);
    claim.stop();
  }

  /**
   * Stops claiming, waits up to {@code period} for the running tasks to finish and report, then
   * stops renewing and releases the attempts still running (they are run again elsewhere). Started
   * once; later calls share the same drain.
   */
  public Uni<Void> drain(Duration period) {
    Uni<Void> fresh = Uni.createFrom().deferred(() -> drainNow(period)).memoize().indefinitely();
    return drain.compareAndSet(null, fresh) ? fresh : drain.get();
  }

  private Uni<Void> drainNow(Duration period) {
    stopClaiming();
    Log.infof("Worker %s drains %d running task(s) for at most %s", owner(), inFlight(), period);
    return Multi.createFrom()
        .ticks()
        .every(DRAIN_CHECK)
        .filter(tick -> running.isEmpty())
        .toUni()
        .replaceWithVoid()
        .ifNoItem()
        .after(period)
        .recoverWithItem((Void) null)
        .chain(this::releaseLeft);
  }

  private Uni<Void> releaseLeft() {
    stopHeartbeat();
    Long[] left = running.keySet().toArray(new Long[0]);
    running.values().forEach(handle -> cancel(handle));
    if (left.length == 0) {
      Log.infof("Worker %s drained", owner());
      return Uni.createFrom().voidItem();
    }
    Log.warnf(
        "Worker %s releases %d task(s) still running at the end of its drain",
        owner(), left.length);
    return release(left, "worker shut down before the task finished; released for a re-run")
        .invoke(v -> List.of(left).forEach(this::finished));
  }

  /** Gives attempts this worker holds back to DISPATCHED with a recorded reason. */
  Uni<Void> release(Long[] ids, String reason) {
    return pool()
        .withTransaction(
            conn ->
                conn.preparedQuery(RELEASE)
                    .execute(Tuple.of(ids, owner()))
                    .flatMap(
                        rows -> {
                          List<Transition> history = new ArrayList<>();
                          rows.forEach(
                              row -> {
                                TaskRow r = TaskRow.of(row);
                                history.add(
                                    Transition.of(
                                        r.instanceId(),
                                        r.taskCode(),
                                        r.attempt(),
                                        TaskState.DISPATCHED,
                                        reason));
                              });
                          return Transitions.append(conn, history);
                        }))
        .invoke(v -> notifications.publish(Notifications.TASKS));
  }

  /** Stops and lets the reconciler re-dispatch this worker's running tasks at once. */
  public Uni<Void> stopAndRelease() {
    stop();
    return releaseLeft();
  }

  private Uni<Integer> claimAndRun() {
    int free = Math.min(config.claimBatch(), config.maxConcurrent() - inFlight.get());
    return claimer
        .claim(free)
        .invoke(tasks -> tasks.forEach(this::startRun))
        .map(tasks -> tasks.size() < free ? 0 : tasks.size());
  }

  private void startRun(ClaimedTask task) {
    AtomicReference<Cancellable> handle = new AtomicReference<>();
    if (running.putIfAbsent(task.id(), handle) != null) {
      // its lease had run out and this worker claimed it again: the run under way goes on under
      // the renewed lease; starting a second one would run it twice and lose a slot
      Log.infof("Worker %s claimed task %d again while still running it", owner(), task.id());
      return;
    }
    inFlight.incrementAndGet();
    handle.set(
        runner
            .run(task, owner(), this::giveUp)
            .subscribe()
            .with(done -> finished(task.id()), failure -> finished(task.id())));
  }

  // the result could not be reported: stop renewing it, and release it for a re-run
  private Uni<Void> giveUp(ClaimedTask task) {
    return release(new Long[] {task.id()}, "result could not be reported; released for a re-run")
        .onFailure()
        .invoke(
            e -> Log.warnf("Worker %s could not release task %d either: %s", owner(), task.id(), e))
        .onFailure()
        .recoverWithNull();
  }

  private void finished(long taskId) {
    if (running.remove(taskId) != null) {
      inFlight.decrementAndGet();
      claim.wake();
    }
  }

  private static void cancel(AtomicReference<Cancellable> task) {
    Cancellable handle = task == null ? null : task.get();
    if (handle != null) {
      handle.cancel();
    }
  }

  /** Renews the leases of what runs here and cancels runs no longer this worker's own. */
  @Override
  protected Uni<Integer> renew() {
    Long[] held = running.keySet().toArray(new Long[0]);
    if (held.length == 0) {
      return Uni.createFrom().item(0);
    }
    return pool()
        .preparedQuery(RENEW)
        .execute(Tuple.of(held, owner(), leaseSeconds()))
        .invoke(
            renewed -> {
              Set<Long> lost = new HashSet<>(List.of(held));
              renewed.forEach(row -> lost.remove(TaskRow.of(row).id()));
              for (long id : lost) {
                AtomicReference<Cancellable> task = running.get(id);
                if (task != null && task.get() != null) {
                  Log.debugf("Worker %s cancels task %d: no longer its own", owner(), id);
                  cancel(task);
                  finished(id);
                }
              }
            })
        .replaceWith(0);
  }
}
