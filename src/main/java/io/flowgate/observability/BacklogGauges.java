package io.flowgate.observability;

import io.flowgate.config.BacklogConfig;
import io.flowgate.config.EngineConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the {@link BacklogExporter} on processes with the master role, every {@code
 * flowgate.backlog.interval}. A Vert.x timer rather than a scheduler extension: the tick is one
 * non-blocking query chain on the event loop, and a tick still running skips the next.
 */
@ApplicationScoped
public class BacklogGauges {

  private final Vertx vertx;
  private final BacklogConfig config;
  private final boolean master;
  private final BacklogExporter exporter;
  private final AtomicBoolean ticking = new AtomicBoolean();
  private long timer = -1;

  public BacklogGauges(
      Vertx vertx, Pool pool, MeterRegistry registry, BacklogConfig config, EngineConfig engine) {
    this.vertx = vertx;
    this.config = config;
    this.master = engine.roles().contains(EngineConfig.Role.master);
    this.exporter = new BacklogExporter(pool, registry, config.queryTimeout(), config.countCap());
  }

  void start(@Observes StartupEvent event) {
    if (master && config.enabled()) {
      timer = vertx.setPeriodic(0, config.interval().toMillis(), id -> tick());
    }
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      exporter.release().await().atMost(config.queryTimeout().plusSeconds(1));
    }
  }

  private void tick() {
    if (ticking.compareAndSet(false, true)) {
      exporter.tick().subscribe().with(ok -> ticking.set(false), failure -> ticking.set(false));
    }
  }
}
