package io.flowgate.admission;

/**
 * The measured rate at which the store absorbs admitted requests, smoothed exponentially, and the
 * Retry-After it implies for a queue of a given depth.
 */
public final class DrainRate {

  private static final double HALF_LIFE_NANOS = 2e9;
  private static final long MAX_RETRY_AFTER_SECONDS = 30;

  private double perSecond;
  private long lastNanos;

  public DrainRate(long nowNanos) {
    this.lastNanos = nowNanos;
  }

  /** Records that {@code count} requests left the queue for good at {@code nowNanos}. */
  public synchronized void record(int count, long nowNanos) {
    double elapsed = Math.max(1, nowNanos - lastNanos);
    double instant = count * 1e9 / elapsed;
    double weight = Math.pow(0.5, elapsed / HALF_LIFE_NANOS);
    perSecond = weight * perSecond + (1 - weight) * instant;
    lastNanos = nowNanos;
  }

  public synchronized double perSecond() {
    return perSecond;
  }

  /** Seconds until a queue of {@code depth} has drained at the measured rate, 1 to 30. */
  public long retryAfterSeconds(int depth) {
    double rate = Math.max(1.0, perSecond());
    long seconds = (long) Math.ceil(depth / rate);
    return Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS, seconds));
  }
}
