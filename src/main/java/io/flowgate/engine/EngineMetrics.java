package io.flowgate.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Engine and worker metrics: claim lag, task outcomes, stuck and re-driven instances, errors. */
@ApplicationScoped
public class EngineMetrics {

  private final MeterRegistry registry;
  private final Timer claimLag;
  private final AtomicLong stuck = new AtomicLong();
  private final Counter redriven;
  private final AtomicLong noProgress = new AtomicLong();
  private final Counter leaseExpired;
  private final Counter overdue;
  private final Counter replanned;
  private final Counter reportRetries;
  private final Counter reportsReleased;

  public EngineMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.claimLag =
        Timer.builder("flowgate.master.claim.lag")
            .description("Time from an instance's commit to its first claim by a master")
            .publishPercentileHistogram()
            .register(registry);
    registry.gauge("flowgate.instances.stuck", stuck);
    this.redriven =
        Counter.builder("flowgate.instances.redriven")
            .description("Instances found SUBMITTED past the claim SLA and re-driven")
            .register(registry);
    Gauge.builder("flowgate.instances.no_progress", noProgress, AtomicLong::get)
        .description("RUNNING instances with no state change and nothing running for the period")
        .register(registry);
    this.leaseExpired =
        counter("flowgate.tasks.lease_expired", "RUNNING tasks whose worker stopped renewing");
    this.overdue =
        counter("flowgate.tasks.overdue", "RUNNING tasks failed past their timeout plus margin");
    this.replanned =
        counter(
            "flowgate.instances.replanned", "Instances with no progress handed back to planning");
    this.reportRetries =
        counter("flowgate.tasks.report.retries", "Task result reports retried after an error");
    this.reportsReleased =
        counter(
            "flowgate.tasks.report.released",
            "Task attempts released for a re-run after their result could not be reported");
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  public void noProgress(long count) {
    noProgress.set(count);
  }

  public void leaseExpired() {
    leaseExpired.increment();
  }

  public void overdue() {
    overdue.increment();
  }

  public void replanned() {
    replanned.increment();
  }

  public void reportRetried() {
    reportRetries.increment();
  }

  public void reportReleased() {
    reportsReleased.increment();
  }

  public void claimLag(Duration lag) {
    claimLag.record(lag.isNegative() ? Duration.ZERO : lag);
  }

  /** Counts the outcomes of the attempts the master ran inline, after their commit. */
  public void ranInline(java.util.List<PlanWriter.Planned> plans) {
    for (PlanWriter.Planned p : plans) {
      for (InlineTasks.Ran r : p.ran()) {
        taskOutcome(r.node().type(), r.state().name());
      }
    }
  }

  public void taskOutcome(String type, String state) {
    registry.counter("flowgate.task.outcomes", "type", type, "state", state).increment();
  }

  public void stuck(long count) {
    stuck.set(count);
  }

  public void redriven() {
    redriven.increment();
  }

  /** A loop step that failed and will be retried. */
  public Runnable loopError(String loop) {
    Counter counter = registry.counter("flowgate.loop.errors", "loop", loop);
    return counter::increment;
  }
}
