package io.flowgate.observability;

import io.flowgate.config.EngineConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code flowgate_role_active{role=...} 1} for each role this process runs: alerts see a missing
 * master or worker with {@code absent()}, and dashboards count capacity per role.
 */
@ApplicationScoped
public class RoleGauges {

  private final MeterRegistry registry;
  private final EngineConfig config;

  public RoleGauges(MeterRegistry registry, EngineConfig config) {
    this.registry = registry;
    this.config = config;
  }

  void register(@Observes StartupEvent event) {
    for (EngineConfig.Role role : config.roles()) {
      Gauge.builder("flowgate.role.active", () -> 1)
          .description("1 for each role this process runs")
          .tag("role", role.name())
          .register(registry);
    }
  }
}
