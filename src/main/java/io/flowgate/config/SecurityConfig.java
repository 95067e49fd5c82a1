package io.flowgate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** Authentication settings. */
@ConfigMapping(prefix = "flowgate")
public interface SecurityConfig {

  /** Bootstrap admin token (env FLOWGATE_ADMIN_TOKEN or a secret); none disables it. */
  @WithName("admin-token")
  Optional<String> adminToken();

  /** How long a verified token is trusted before it is checked against the store again. */
  @WithName("auth.cache-ttl")
  @WithDefault("5s")
  Duration tokenCacheTtl();
}
