package io.flowgate.config;

import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * The monotonic time source (nanoseconds) of rate limits, admission and the start ledger, as one
 * bean so that a test can move time by hand instead of sleeping.
 */
@ApplicationScoped
public class TickerProducer {

  @Produces
  @ApplicationScoped
  Ticker ticker() {
    return Ticker.systemTicker();
  }
}
