package io.flowgate.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;

/** Authentication settings. */
public interface SecurityConfig {

  /** Bootstrap admin token (env FLOWGATE_ADMIN_TOKEN or a secret); none disables it. */
  @WithName("admin-token")
  Optional<String> adminToken();

  /** How long a verified token is trusted before it is checked against the store again. */
  @WithName("auth.cache-ttl")
  @WithDefault("5s")
  Duration tokenCacheTtl();

  /** Token records kept in memory (valid and refused ids together); least valuable go first. */
  @WithName("auth.cache-size")
  @WithDefault("100000")
  @Min(100)
  long tokenCacheSize();

  /** Failed authentications a client address may make before it is answered 429. */
  @WithName("auth.failure-limit")
  FailureLimit failureLimit();

  /** Per-client limit on refused tokens: a token bucket per client address. */
  interface FailureLimit {
    /** Whether failed authentications are limited at all. */
    @WithDefault("true")
    boolean enabled();

    /** Failed authentications per second a client may sustain. */
    @WithDefault("20")
    @Min(1)
    int perSecond();

    /** Failed authentications a client may make at once. */
    @WithDefault("500")
    @Min(1)
    int burst();

    /** Client addresses tracked; idle ones are forgotten first. */
    @WithDefault("100000")
    @Min(100)
    int maxTracked();
  }
}
