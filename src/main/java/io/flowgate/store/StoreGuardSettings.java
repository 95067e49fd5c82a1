package io.flowgate.store;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Bounds of the store's retries and breaker. A programmatic guard does not read configuration, so
 * the keys the boundary has always had are read here by hand: {@code
 * quarkus.fault-tolerance."io.flowgate.store.StoreBoundary/commit".retry.max-retries} (and the
 * other Quarkus names), or the MicroProfile form {@code
 * io.flowgate.store.StoreBoundary/commit/Retry/maxRetries}; the Quarkus form wins.
 */
record StoreGuardSettings(
    int maxRetries,
    Duration retryDelay,
    Duration retryJitter,
    int requestVolumeThreshold,
    double failureRatio,
    Duration breakerDelay,
    int successThreshold) {

  static final String METHOD = "io.flowgate.store.StoreBoundary/commit";

  /** The bounds the boundary had as annotations, used when nothing is configured. */
  static final StoreGuardSettings DEFAULTS =
      new StoreGuardSettings(
          2, Duration.ofMillis(50), Duration.ofMillis(25), 8, 0.5, Duration.ofMillis(2000), 1);

  static StoreGuardSettings from(Config config) {
    Keys retry = new Keys(config, "retry", "Retry");
    Keys breaker = new Keys(config, "circuit-breaker", "CircuitBreaker");
    return new StoreGuardSettings(
        retry.integer("max-retries", "maxRetries", DEFAULTS.maxRetries),
        retry.duration("delay", DEFAULTS.retryDelay),
        retry.duration("jitter", DEFAULTS.retryJitter),
        breaker.integer(
            "request-volume-threshold", "requestVolumeThreshold", DEFAULTS.requestVolumeThreshold),
        breaker.decimal("failure-ratio", "failureRatio", DEFAULTS.failureRatio),
        breaker.duration("delay", DEFAULTS.breakerDelay),
        breaker.integer("success-threshold", "successThreshold", DEFAULTS.successThreshold));
  }

  // the two spellings of one strategy's keys
  private record Keys(Config config, String quarkusStrategy, String mpStrategy) {

    private <T> Optional<T> value(String quarkusName, String mpName, Class<T> type) {
      Optional<T> quarkus =
          config.getOptionalValue(
              "quarkus.fault-tolerance.\"" + METHOD + "\"." + quarkusStrategy + "." + quarkusName,
              type);
      return quarkus.isPresent()
          ? quarkus
          : config.getOptionalValue(METHOD + "/" + mpStrategy + "/" + mpName, type);
    }

    int integer(String quarkusName, String mpName, int fallback) {
      return value(quarkusName, mpName, Integer.class).orElse(fallback);
    }

    double decimal(String quarkusName, String mpName, double fallback) {
      return value(quarkusName, mpName, Double.class).orElse(fallback);
    }

    // an amount with its unit ({@code delay} and {@code delay-unit}; millis when no unit is set)
    Duration duration(String name, Duration fallback) {
      Optional<Long> amount = value(name, name, Long.class);
      if (amount.isEmpty()) {
        return fallback;
      }
      String unit =
          value(
                  name + "-unit",
                  name.equals("delay") ? "delayUnit" : "jitterDelayUnit",
                  String.class)
              .orElse("millis");
      return Duration.of(amount.get(), ChronoUnit.valueOf(unit.toUpperCase(Locale.ROOT)));
    }
  }
}
