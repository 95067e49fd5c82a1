package io.flowgate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Graceful shutdown on SIGTERM. */
@ConfigMapping(prefix = "flowgate.shutdown")
public interface ShutdownConfig {

  /** Time given to the queue to drain into the store after SIGTERM. */
  @WithDefault("20s")
  Duration drainPeriod();
}
