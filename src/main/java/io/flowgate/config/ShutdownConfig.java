package io.flowgate.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Graceful shutdown on SIGTERM. */
public interface ShutdownConfig {

  /** Time given to the queue to drain into the store after SIGTERM. */
  @WithDefault("20s")
  Duration drainPeriod();

  /**
   * First phase of a shutdown: readiness is DOWN and new starts get 503 SHUTTING_DOWN while the
   * HTTP server still answers, so the queue drains with its answers delivered and a client that is
   * still routed here is told to go elsewhere instead of meeting a closed port.
   */
  @WithDefault("5s")
  Duration delay();
}
