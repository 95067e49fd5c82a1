package io.flowgate.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The cluster-wide backlog gauges (SUBMITTED instances, DISPATCHED tasks) that autoscalers read,
 * and the SUBMITTED backlog past which admission refuses new starts.
 */
public interface BacklogConfig {

  /** Whether processes with the master role compete to export the backlog gauges. */
  @WithDefault("true")
  boolean enabled();

  /** How often the exporting process counts the backlog. */
  @WithDefault("15s")
  Duration interval();

  /** Longest one count may take; a slower one is abandoned and the exporter steps down. */
  @WithDefault("5s")
  Duration queryTimeout();

  /** Rows counted at most per gauge, so that a huge backlog costs a bounded scan. */
  @WithDefault("100000")
  int countCap();

  /**
   * SUBMITTED instances (cluster-wide) above which api processes answer new starts 429
   * ADMISSION_QUEUE_FULL + Retry-After instead of growing the backlog; 0 turns the check off.
   */
  @WithDefault("100000")
  int admissionHighWater();

  /** How often api processes count the SUBMITTED backlog for that check. */
  @WithDefault("1s")
  Duration admissionInterval();
}
