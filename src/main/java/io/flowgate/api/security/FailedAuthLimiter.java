package io.flowgate.api.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flowgate.config.SecurityConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Per-client limit on failed authentications: a token bucket per client address, spent by every
 * refused token. A client whose bucket is empty is answered 429 with {@code Retry-After} before its
 * token costs a store read; a token this replica already verified still passes, so one bad client
 * behind a shared address does not lock out the others. Buckets live in a bounded Caffeine cache
 * and are forgotten once idle.
 */
@ApplicationScoped
public class FailedAuthLimiter {

  private final SecurityConfig.FailureLimit config;
  private final Cache<String, TokenBucket> buckets;
  private final Counter limited;

  public FailedAuthLimiter(SecurityConfig config, MeterRegistry registry) {
    this.config = config.failureLimit();
    long refillSeconds = Math.max(1, this.config.burst() / this.config.perSecond());
    this.buckets =
        Caffeine.newBuilder()
            .maximumSize(this.config.maxTracked())
            .expireAfterAccess(Duration.ofSeconds(refillSeconds + 1))
            .build();
    this.limited =
        Counter.builder("flowgate.auth.failures.limited")
            .description(
                "calls refused with 429 because their client failed authentication too often")
            .register(registry);
  }

  /** 0 while the client may still fail; else the whole seconds until it may try again. */
  public long blockedFor(String client) {
    if (!config.enabled()) {
      return 0;
    }
    TokenBucket bucket = buckets.getIfPresent(client);
    long retryAfter = bucket == null ? 0 : bucket.waitFor(1, System.nanoTime());
    if (retryAfter > 0) {
      limited.increment();
    }
    return retryAfter;
  }

  /** Records one refused token from {@code client}. */
  public void failed(String client) {
    if (!config.enabled()) {
      return;
    }
    long now = System.nanoTime();
    buckets
        .get(client, c -> new TokenBucket(config.perSecond(), config.burst(), now))
        .tryTake(1, now);
  }
}
