package io.flowgate.config;

import io.smallrye.config.WithDefault;

/** Benchmark helpers. */
public interface BenchConfig {

  /** Exposes POST /bench/echo (same stack, no database) as the HTTP ceiling of a benchmark. */
  @WithDefault("false")
  boolean echoEnabled();
}
