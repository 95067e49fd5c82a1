package io.flowgate.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Bounds of the writer that turns admitted requests into committed instances. */
public interface StoreConfig {

  /** How instances are written: one transaction per batch, or one per request. */
  @WithDefault("batched")
  WriteMode writeMode();

  /** Requests per transaction. */
  @WithDefault("256")
  int maxBatch();

  /** Longest a batch waits to fill before it is written. */
  @WithDefault("2ms")
  Duration linger();

  /**
   * Concurrent batch transactions. Under load each slot relaunches as soon as its commit returns,
   * so the mean batch is about the start rate times the commit time divided by this number; every
   * transaction costs PostgreSQL a fixed amount of CPU besides its rows, so fewer slots mean
   * fuller, cheaper batches. Two keep one slot writing while the other waits on a lock.
   */
  @WithDefault("2")
  int maxInFlight();

  /** Longest one commit attempt may take before its outcome counts as unknown. */
  @WithDefault("3s")
  Duration commitTimeout();

  /** The two write modes that can be benchmarked side by side. */
  enum WriteMode {
    /** Up to max-batch requests in one multi-row transaction. */
    BATCHED,
    /** One Hibernate Reactive transaction per request, the usual way. */
    PER_REQUEST
  }
}
