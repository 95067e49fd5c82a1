package io.flowgate.config;

import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The embedded PostgreSQL started when no database is configured. Read by the launcher before
 * Quarkus starts; mapped here so that these keys are known names.
 */
public interface EmbeddedConfig {

  /** Whether a missing flowgate.db.url starts the embedded PostgreSQL (false in every image). */
  @WithDefault("true")
  boolean enabled();

  /** Directory that keeps the embedded database between runs; none: a temporary directory. */
  Optional<String> dataDir();

  /** URL of the embedded database this JVM already started; set by the launcher, not by people. */
  Optional<String> url();
}
