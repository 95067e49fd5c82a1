package io.flowgate.api.security;

/**
 * A token bucket: {@code capacity} permits, refilled at {@code perSecond}. Thread-safe; the clock
 * is passed in so the arithmetic can be tested without waiting.
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1_000_000_000d;

  private final double perSecond;
  private final double capacity;
  private double available;
  private long refilledAtNanos;

  TokenBucket(int perSecond, int capacity, long nowNanos) {
    this.perSecond = perSecond;
    this.capacity = capacity;
    this.available = capacity;
    this.refilledAtNanos = nowNanos;
  }

  /**
   * Takes {@code permits} if they are there and answers 0; otherwise takes nothing and answers the
   * whole seconds until they will be (at least 1). A request larger than the bucket costs the whole
   * bucket, so it passes once the bucket is full rather than never.
   */
  synchronized long tryTake(int permits, long nowNanos) {
    refill(nowNanos);
    double cost = Math.min(permits, capacity);
    if (cost <= available) {
      available -= cost;
      return 0;
    }
    double missing = cost - available;
    return Math.max(1, (long) Math.ceil(missing / perSecond));
  }

  /**
   * 0 when {@code permits} are available now (nothing is taken), else the whole seconds to wait.
   */
  synchronized long waitFor(int permits, long nowNanos) {
    refill(nowNanos);
    double cost = Math.min(permits, capacity);
    return cost <= available ? 0 : Math.max(1, (long) Math.ceil((cost - available) / perSecond));
  }

  /** Whether the bucket is full at {@code nowNanos}: its token has been idle and it can go. */
  synchronized boolean isFull(long nowNanos) {
    refill(nowNanos);
    return available >= capacity;
  }

  boolean sameLimit(int perSecond, int capacity) {
    return this.perSecond == perSecond && this.capacity == capacity;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - refilledAtNanos;
    if (elapsed > 0) {
      available = Math.min(capacity, available + elapsed * perSecond / NANOS_PER_SECOND);
      refilledAtNanos = nowNanos;
    }
  }
}
