package io.flowgate.api.security;

import com.github.benmanes.caffeine.cache.Ticker;
import io.flowgate.config.RateLimitConfig;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-token rate limit, held in memory by each replica: a token bucket per caller subject. It is
 * checked before a request reaches admission, so one token's flood is refused at the door and
 * cannot fill the queue that other tokens share.
 */
@ApplicationScoped
public class RateLimiter {

  private final RateLimitConfig config;
  private final Ticker ticker;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final Counter limited;

  public RateLimiter(RateLimitConfig config, MeterRegistry registry, Ticker ticker) {
    this.config = config;
    this.ticker = ticker;
    this.limited =
        Counter.builder("flowgate.rate_limited")
            .description("calls refused with 429 RATE_LIMITED")
            .register(registry);
  }

  /**
   * Spends {@code permits} of the caller's bucket, or throws 429 RATE_LIMITED with the seconds
   * until they will be available.
   */
  public void acquire(Caller caller, int permits) {
    long retryAfter = tryAcquire(caller, permits);
    if (retryAfter > 0) {
      throw new FlowgateException(
          ErrorCode.RATE_LIMITED,
          "the token's rate limit is spent; retry after " + retryAfter + "s",
          retryAfter);
    }
  }

  /** 0 when the permits were taken, else the whole seconds to wait (nothing is taken). */
  public long tryAcquire(Caller caller, int permits) {
    if (!config.enabled() || permits <= 0) {
      return 0;
    }
    int perSecond =
        caller.rateLimit() == null ? config.perSecond() : caller.rateLimit().perSecond();
    int burst = caller.rateLimit() == null ? config.burst() : caller.rateLimit().burst();
    long now = ticker.read();
    TokenBucket bucket =
        buckets.compute(
            caller.subject(),
            (subject, existing) ->
                existing != null && existing.sameLimit(perSecond, burst)
                    ? existing
                    : new TokenBucket(perSecond, burst, now));
    long retryAfter = bucket.tryTake(permits, now);
    if (retryAfter > 0) {
      limited.increment();
    }
    if (buckets.size() > config.maxTracked()) {
      buckets.values().removeIf(b -> b.isFull(now));
    }
    return retryAfter;
  }
}
