package io.flowgate.worker;

import io.flowgate.config.EngineConfig;
import io.flowgate.definition.TaskTypes;
import io.flowgate.engine.DagCache;
import io.flowgate.engine.EngineMetrics;
import io.flowgate.engine.EngineTracing;
import io.flowgate.engine.InstanceFinisher;
import io.flowgate.observability.SpanNames;
import io.flowgate.persistence.Notifications;
import io.opentelemetry.api.trace.Span;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs one claimed task with its plugin (params checked first, timeout applied) and reports the
 * result only while this worker still holds the attempt's lease, so an attempt taken over after a
 * lost lease never gets two results. A report the store refuses is retried with backoff for up to
 * {@code flowgate.worker.report-retry} (the worker keeps renewing the lease meanwhile); then the
 * attempt is handed to the caller's give-up step, which releases it for a re-run.
 */
@ApplicationScoped
public class TaskRunner {

  private static final Duration REPORT_BACKOFF = Duration.ofMillis(200);
  private static final Duration REPORT_BACKOFF_MAX = Duration.ofSeconds(5);

  private final Notifications notifications;
  private final TaskTypes types;
  private final Map<String, TaskPlugin> plugins = new HashMap<>();
  private final Duration httpTimeout;
  private final EngineTracing tracing;
  private final EngineMetrics metrics;
  private final Duration reportRetry;
  private final ReportBatcher reports;

  public TaskRunner(
      Pool pool,
      TaskTypes types,
      Instance<TaskPlugin> plugins,
      EngineConfig config,
      EngineTracing tracing,
      EngineMetrics metrics,
      Notifications notifications,
      Vertx vertx,
      DagCache dags) {
    this.reports =
        new ReportBatcher(
            pool,
            vertx,
            config.worker().completeInstances() ? new InstanceFinisher(dags) : null,
            tracing::planned);
    this.notifications = notifications;
    this.types = types;
    plugins.forEach(p -> this.plugins.put(p.type(), p));
    this.httpTimeout = config.worker().httpTimeout();
    this.tracing = tracing;
    this.metrics = metrics;
    this.reportRetry = config.worker().reportRetry();
  }

  /** Runs and reports; never fails; a result that cannot be reported is left to its lease. */
  public Uni<Void> run(ClaimedTask task, String owner) {
    return run(task, owner, t -> Uni.createFrom().voidItem());
  }

  /** Runs and reports; never fails; {@code giveUp} gets the attempt whose result was refused. */
  public Uni<Void> run(ClaimedTask task, String owner, Function<ClaimedTask, Uni<Void>> giveUp) {
    Span span =
        tracing.start(
            SpanNames.TASK_EXECUTE, task.instanceId(), task.traceParent(), task.traceState());
    span.setAttribute(SpanNames.TASK, task.taskCode());
    return Uni.createFrom()
        .deferred(() -> execute(task))
        .onFailure()
        .recoverWithItem(e -> TaskResult.failed("task failed: " + e))
        .flatMap(
            result ->
                reportWithRetry(task, owner, result)
                    .invoke(
                        stored -> {
                          if (stored != ReportBatcher.Stored.NO) {
                            ended(task, span, result);
                          }
                        }))
        .onFailure()
        .call(
            e -> {
              Log.warnf(
                  "Could not report task %d for %s; releasing it: %s", task.id(), reportRetry, e);
              metrics.reportReleased();
              return giveUp.apply(task);
            })
        .onFailure()
        .recoverWithNull()
        .eventually(() -> span.end())
        .replaceWithVoid();
  }

  private Uni<TaskResult> execute(ClaimedTask task) {
    Map<String, Object> params = task.params().getMap();
    String problem = types.problemWith(task.type(), params);
    TaskPlugin plugin = plugins.get(task.type());
    if (problem != null || plugin == null) {
      String why = problem != null ? problem : "no plugin for type " + task.type();
      return Uni.createFrom().item(TaskResult.failed("bad task params: " + why));
    }
    Integer seconds = task.timeoutSeconds();
    Duration timeout = seconds == null ? httpTimeout : Duration.ofSeconds(seconds);
    Uni<TaskResult> run = plugin.run(task, params, timeout);
    if (seconds == null) {
      return run;
    }
    return run.ifNoItem()
        .after(timeout)
        .recoverWithItem(TaskResult.failed("timed out after " + seconds + "s"));
  }

  private Uni<ReportBatcher.Stored> reportWithRetry(
      ClaimedTask task, String owner, TaskResult result) {
    return Uni.createFrom()
        .deferred(() -> report(task, owner, result))
        .onFailure()
        .invoke(
            e -> {
              metrics.reportRetried();
              Log.debugf("Report of task %d refused (%s); retrying", task.id(), e);
            })
        .onFailure()
        .retry()
        .withBackOff(REPORT_BACKOFF, REPORT_BACKOFF_MAX)
        .withJitter(0.2)
        .expireIn(reportRetry.toMillis())
        .invoke(this::notifyIf);
  }

  // an instance the report ended needs no advance: the master is not woken for it
  private void notifyIf(ReportBatcher.Stored stored) {
    if (stored == ReportBatcher.Stored.YES) {
      notifications.publish(Notifications.RESULTS);
    }
  }

  private Uni<ReportBatcher.Stored> report(ClaimedTask task, String owner, TaskResult result) {
    return reports
        .report(task, owner, result)
        .invoke(
            stored -> {
              if (stored == ReportBatcher.Stored.NO) {
                Log.debugf("Worker %s lost the lease of task %d; result dropped", owner, task.id());
              }
            });
  }

  private void ended(ClaimedTask task, Span span, TaskResult result) {
    metrics.taskOutcome(task.type(), result.state().name());
    span.setAttribute(SpanNames.OUTCOME, result.state().name());
    Log.debugf(
        "Task %d (%s) ended %s: %s", task.id(), task.taskCode(), result.state(), result.detail());
  }
}
