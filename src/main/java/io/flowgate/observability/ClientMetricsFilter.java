package io.flowgate.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Drops the SQL client's per-connection gauges ({@code postgresql.queue.size}, {@code
 * postgresql.current}). Every new connection of a pool registers them again under the pool's client
 * name; Micrometer keeps the first connection's, so they showed one connection of a pool, not the
 * pool. (Micrometer still logs "Gauge already registered" once per start: it caches the denied
 * gauge under the same id, and the second connection's registration meets that entry.) The
 * pool-wide figures are the {@code sql.pool.*} meters (queue size, active, idle, usage, queue
 * delay), tagged apart per pool by name ({@code flowgate-shared}, {@code flowgate-writer}, {@code
 * flowgate-retention}).
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
