package io.flowgate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Connection settings shared by every pool; the URL and credentials are plain properties. */
@ConfigMapping(prefix = "flowgate.db")
public interface DatabaseConfig {

  /** Longest a caller waits for a free pooled connection before the call fails. */
  @WithDefault("5s")
  Duration acquireTimeout();
}
