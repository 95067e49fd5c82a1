package io.flowgate.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The cache of released workflow definitions that every start reads. */
public interface DefinitionConfig {

  /** How long a cached definition is served before it is read again (a change shows after it). */
  @WithDefault("1s")
  Duration cacheTtl();
}
