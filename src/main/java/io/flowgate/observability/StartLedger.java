package io.flowgate.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proves that no admitted start request is lost: every admitted request is live until it settles
 * exactly once, and {@code flowgate_unaccounted_requests} = admitted − (committed + replayed +
 * failed + in-flight) must stay 0. A request still live long past the request timeout counts as
 * unaccounted, since nobody will ever answer it.
 */
@ApplicationScoped
public class StartLedger {

  /** How a settled request ended. */
  public enum Settlement {
    COMMITTED,
    REPLAYED,
    FAILED
  }

  private record Live(String traceId, long admittedAtNanos) {}

  private final MeterRegistry registry;
  private final Map<Long, Live> live = new ConcurrentHashMap<>();
  private final AtomicLong admitted = new AtomicLong();
  private final AtomicLong committed = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong doubleSettled = new AtomicLong();
  private final Counter admittedCounter;
  private final Counter committedCounter;
  private final Counter replayedCounter;
  private volatile long overdueAfterNanos = Duration.ofSeconds(30).toNanos();

  public StartLedger(MeterRegistry registry) {
    this.registry = registry;
    this.admittedCounter = registry.counter("flowgate.start.admitted");
    this.committedCounter = registry.counter("flowgate.start.committed");
    this.replayedCounter = registry.counter("flowgate.start.replayed");
    Gauge.builder("flowgate.start.in.flight", live, Map::size).register(registry);
    Gauge.builder("flowgate.unaccounted.requests", this, StartLedger::unaccounted)
        .description("admitted - (committed + replayed + failed + in-flight); must be 0")
        .register(registry);
  }

  /** After this long unanswered, a live request counts as unaccounted. */
  public void overdueAfter(Duration duration) {
    this.overdueAfterNanos = duration.toNanos();
  }

  /** A request entered the admission queue. */
  public void admitted(long requestId, String traceId) {
    live.put(requestId, new Live(traceId, System.nanoTime()));
    admitted.incrementAndGet();
    admittedCounter.increment();
  }

  /** A request was refused before admission (never entered the queue). */
  public void rejected(ErrorCode code) {
    registry.counter("flowgate.start.rejected", "code", code.name()).increment();
  }

  /** An admitted request got its one definitive answer. */
  public void settled(long requestId, Settlement settlement, ErrorCode code) {
    if (live.remove(requestId) == null) {
      doubleSettled.incrementAndGet();
      Log.errorf("start request %d settled twice or never admitted (%s)", requestId, settlement);
      return;
    }
    switch (settlement) {
      case COMMITTED -> {
        committed.incrementAndGet();
        committedCounter.increment();
      }
      case REPLAYED -> {
        replayed.incrementAndGet();
        replayedCounter.increment();
      }
      case FAILED -> {
        failed.incrementAndGet();
        registry.counter("flowgate.start.failed", "code", code.name()).increment();
      }
    }
  }

  /** admitted − (committed + replayed + failed + in-flight), in-flight excluding the overdue. */
  public long unaccounted() {
    long now = System.nanoTime();
    long inFlight =
        live.values().stream().filter(l -> now - l.admittedAtNanos < overdueAfterNanos).count();
    long settledTotal = committed.get() + replayed.get() + failed.get();
    return admitted.get() - settledTotal - inFlight + doubleSettled.get();
  }

  /** Trace ids of the requests that are overdue: the evidence behind a non-zero unaccounted. */
  public List<String> overdueTraceIds() {
    long now = System.nanoTime();
    return live.values().stream()
        .filter(l -> now - l.admittedAtNanos >= overdueAfterNanos)
        .map(Live::traceId)
        .toList();
  }

  public long inFlight() {
    return live.size();
  }

  public long admittedCount() {
    return admitted.get();
  }

  public long committedCount() {
    return committed.get();
  }

  public long replayedCount() {
    return replayed.get();
  }

  public long failedCount() {
    return failed.get();
  }
}
