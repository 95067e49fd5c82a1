package io.flowgate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Bounds of the writer that turns admitted requests into committed instances. */
@ConfigMapping(prefix = "flowgate.store")
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

  /** Concurrent batch transactions. */
  @WithDefault("4")
  int maxInFlight();

  /** Longest one commit attempt may take before its outcome counts as unknown. */
  @WithDefault("3s")
  Duration commitTimeout();

  /** Server-side retries of a transient store failure (same request ids, so never duplicated). */
  @WithDefault("2")
  int maxRetries();

  /** Base delay between retries; jitter of half of it is added. */
  @WithDefault("50ms")
  Duration retryDelay();

  /** How long the store breaker stays open before it lets a trial request through. */
  @WithDefault("2s")
  Duration breakerDelay();

  /** The two write modes that can be benchmarked side by side. */
  enum WriteMode {
    /** Up to max-batch requests in one multi-row transaction. */
    BATCHED,
    /** One Hibernate Reactive transaction per request, the usual way. */
    PER_REQUEST
  }
}
