package io.flowgate.engine;

import io.micrometer.core.instrument.Counter;
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
  }

  public void claimLag(Duration lag) {
    claimLag.record(lag.isNegative() ? Duration.ZERO : lag);
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
