package io.flowgate.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Bounds of the admission queue that every start request passes through. */
public interface AdmissionConfig {

  /** Requests waiting in the queue, all lanes together. */
  @WithDefault("10000")
  int capacity();

  /** Longest a request waits in the queue before it is answered 503 QUEUE_TIMEOUT. */
  @WithDefault("5s")
  Duration maxWait();

  /** Queue fill ratio at which readiness goes DOWN. */
  @WithDefault("0.9")
  double highWater();

  /** Queue fill ratio above which one project may hold at most its fair share of the queue. */
  @WithDefault("0.5")
  double fairShareFrom();
}
