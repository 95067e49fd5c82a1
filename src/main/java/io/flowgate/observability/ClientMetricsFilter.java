package io.flowgate.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.micrometer.runtime.MeterRegistryCustomizer;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Drops the SQL client's per-connection gauges ({@code postgresql.queue.size}, {@code
 * postgresql.current}). Every new connection of a pool registers them again under the pool's client
 * name, so they showed one connection of a pool, not the pool. The pool-wide figures are the {@code
 * sql.pool.*} meters (queue size, active, idle, usage, queue delay), tagged apart per pool by name
 * ({@code flowgate-shared}, {@code flowgate-writer}, {@code flowgate-retention}).
 *
 * <p>The filter alone is not enough at start: Hibernate Reactive's database version check opens the
 * shared pool's first connection before Quarkus installs the meter filters, so that connection's
 * gauges are registered for real, and the next connection meets them ("This Gauge has been already
 * registered" WARN). {@link #removeGaugesRegisteredBeforeTheFilter} removes them right after the
 * filter is installed; from then on every registration is denied and nothing is kept.
 */
public class ClientMetricsFilter {

  static final Set<String> PER_CONNECTION_GAUGES =
      Set.of("postgresql.queue.size", "postgresql.current");

  @Produces
  @Singleton
  MeterFilter dropPerConnectionGauges() {
    return MeterFilter.deny(ClientMetricsFilter::isPerConnectionGauge);
  }

  /**
   * Quarkus applies its customizers to a registry right after its filters; no setting reaches the
   * meters registered before them, hence this hand-written removal.
   */
  @Produces
  @Singleton
  MeterRegistryCustomizer removeGaugesRegisteredBeforeTheFilter() {
    return ClientMetricsFilter::removePerConnectionGauges;
  }

  static void removePerConnectionGauges(MeterRegistry registry) {
    registry.getMeters().stream()
        .filter(meter -> isPerConnectionGauge(meter.getId()))
        .forEach(registry::remove);
  }

  static boolean isPerConnectionGauge(Meter.Id id) {
    return id.getType() == Meter.Type.GAUGE && PER_CONNECTION_GAUGES.contains(id.getName());
  }
}
