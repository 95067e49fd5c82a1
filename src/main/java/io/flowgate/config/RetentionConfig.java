package io.flowgate.config;

import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Removal of finished instances past their project's retention, and their optional archive. */
public interface RetentionConfig {

  /** Whether processes with the master role remove finished instances past retention. */
  @WithDefault("true")
  boolean enabled();

  /** How long a finished instance is kept after it ended, unless its project sets its own. */
  @WithDefault("7d")
  Duration period();

  /** Instances (with their tasks and history) removed per transaction. */
  @WithDefault("2000")
  int batchSize();

  /** Transactions per tick at most: bounds the work of one tick to batch-size times this. */
  @WithDefault("10")
  int maxBatchesPerTick();

  /** Time between the end of one tick and the start of the next. */
  @WithDefault("1s")
  Duration interval();

  /** Longest one removal transaction (select, archive, delete, commit) may take. */
  @WithDefault("30s")
  Duration batchTimeout();

  Archive archive();

  /** Export of instances before their removal. */
  interface Archive {
    /** Whether instances are written to the archive directory before they are removed. */
    @WithDefault("false")
    boolean enabled();

    /** Directory of the JSON-lines files, one per project and day of the instances' end. */
    Optional<Path> directory();
  }
}
