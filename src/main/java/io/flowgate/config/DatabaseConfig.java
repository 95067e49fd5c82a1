package io.flowgate.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The database: where it is and how the pools reach it. The URL, credentials, pool size and
 * migration switches feed the {@code quarkus.datasource} and {@code quarkus.flyway} settings.
 */
public interface DatabaseConfig {

  /** The database as postgresql://host:port/database; none: the embedded PostgreSQL. */
  Optional<String> url();

  /** User of every pool. */
  @WithDefault("postgres")
  String user();

  /** Password of every pool. */
  @WithDefault("postgres")
  String password();

  /** Connections of the shared reactive pool (the writer and retention have their own). */
  @WithDefault("20")
  int poolSize();

  /** Whether Flyway migrates the schema at start (false when a migration Job does it). */
  @WithDefault("true")
  boolean migrateAtStart();

  /** Whether Flyway checks at start that the schema is current. */
  @WithDefault("false")
  boolean validateAtStart();

  /** Longest a caller waits for a free pooled connection before the call fails. */
  @WithDefault("5s")
  Duration acquireTimeout();
}
