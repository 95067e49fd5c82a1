package io.flowgate.config;

import io.smallrye.config.WithDefault;

/** The DolphinScheduler-compatible API: which DS generation it answers as, and its bounds. */
public interface DolphinSchedulerConfig {

  /** DS generation the start answers as: 3.1 (data: instance id) or 3.2 (data: trigger code). */
  @WithDefault("3.1")
  String version();

  /** Most schedule dates one complement may create (DS bounds a date list at 100). */
  @WithDefault("100")
  int maxComplementDates();

  /** Complement and run-option starts written at once (beyond: 429 + Retry-After). */
  @WithDefault("4")
  int maxConcurrentMultiStarts();

  /** Whether this process answers as DS 3.2; anything but 3.1 or 3.2 fails the start-up. */
  default boolean v32() {
    return switch (version()) {
      case "3.2" -> true;
      case "3.1" -> false;
      default ->
          throw new IllegalArgumentException(
              "flowgate.dolphinscheduler.version must be 3.1 or 3.2, not " + version());
    };
  }
}
