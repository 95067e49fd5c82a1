package io.flowgate.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rows removed by kind, lines archived, failed archive writes, failed ticks, and the lag behind the
 * horizon.
 */
@ApplicationScoped
public class RetentionMetrics {

  private final Counter instances;
  private final Counter tasks;
  private final Counter transitions;
  private final Counter archived;
  private final Counter errors;
  private final Counter archiveFailures;
  private final AtomicLong lagSeconds = new AtomicLong();

  public RetentionMetrics(MeterRegistry registry) {
    instances = removed(registry, "instances");
    tasks = removed(registry, "tasks");
    transitions = removed(registry, "transitions");
    archived =
        Counter.builder("flowgate.retention.archived")
            .description("Instances written to the archive before their removal")
            .register(registry);
    errors =
        Counter.builder("flowgate.retention.errors")
            .description("Retention ticks that failed and will be retried")
            .register(registry);
    archiveFailures =
        Counter.builder("flowgate.retention.archive.failures")
            .description("Archive writes that failed; their instances were kept")
            .register(registry);
    registry.gauge("flowgate.retention.lag.seconds", lagSeconds);
  }

  private static Counter removed(MeterRegistry registry, String kind) {
    return Counter.builder("flowgate.retention.removed")
        .description("Rows removed past the retention horizon")
        .tag("kind", kind)
        .register(registry);
  }

  void removed(RetentionStore.Removed removed) {
    instances.increment(removed.instances());
    tasks.increment(removed.tasks());
    transitions.increment(removed.transitions());
  }

  void archived(int lines) {
    archived.increment(lines);
  }

  void archiveFailed() {
    archiveFailures.increment();
  }

  void error() {
    errors.increment();
  }

  void lag(double seconds) {
    lagSeconds.set(Math.round(seconds));
  }
}
