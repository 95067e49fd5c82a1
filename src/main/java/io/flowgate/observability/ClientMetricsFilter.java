package io.flowgate.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Drops the SQL client's per-connection gauges ({@code postgresql.queue.size}, {@code
 * postgresql.current}). Every new connection of a pool registers them again under the pool's client
 * name; Micrometer keeps the first connection's and logs "Gauge already registered" at every start,
 * so they showed one connection of a pool, not the pool. The pool-wide figures are the {@code
 * sql.pool.*} meters (queue size, active, idle, usage, queue delay), tagged apart per pool by name
 * ({@code flowgate-shared}, {@code flowgate-writer}, {@code flowgate-retention}).
 */
public class ClientMetricsFilter {

  static final Set<String> PER_CONNECTION_GAUGES =
      Set.of("postgresql.queue.size", "postgresql.current");

  @Produces
  @Singleton
  MeterFilter dropPerConnectionGauges() {
    return MeterFilter.deny(
        id -> id.getType() == Meter.Type.GAUGE && PER_CONNECTION_GAUGES.contains(id.getName()));
  }
}
