package io.flowgate.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/**
 * Per-token rate limit: a token bucket per token, checked before admission. Every call costs one
 * permit and a batch start one per item. A token created with its own limit uses that instead.
 */
public interface RateLimitConfig {

  /** Whether calls are limited at all. */
  @WithDefault("true")
  boolean enabled();

  /** Sustained permits per second for one token. */
  @WithDefault("1000")
  @Min(1)
  int perSecond();

  /** Bucket size: how many permits a token may spend at once after being idle. */
  @WithDefault("2000")
  @Min(1)
  int burst();

  /** Buckets kept in memory; past this, full (idle) buckets are dropped first. */
  @WithDefault("100000")
  @Min(100)
  int maxTracked();
}
