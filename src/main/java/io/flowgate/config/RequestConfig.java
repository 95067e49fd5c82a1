package io.flowgate.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Bounds of one HTTP request. */
public interface RequestConfig {

  /** Longest any start request is held before it gets an answer. */
  @WithDefault("10s")
  Duration timeout();

  /** Largest request body in bytes; larger ones are answered 413. */
  @WithDefault("65536")
  long maxBody();

  /** Most items in one batch start request. */
  @WithDefault("1000")
  int maxBatchItems();

  /** Most entries in the params map of one start. */
  @WithDefault("100")
  int maxParams();

  /** Longest value (and key) of one param, in characters. */
  @WithDefault("4096")
  int maxParamLength();

  /** Deepest nesting of arrays and objects in a JSON body; deeper bodies are answered 400. */
  @WithDefault("32")
  int maxJsonDepth();
}
