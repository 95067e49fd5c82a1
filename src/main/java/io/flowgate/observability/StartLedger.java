package io.flowgate.observability;

import com.github.benmanes.caffeine.cache.Ticker;
import io.flowgate.problem.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proves that no admitted start request is lost: every admitted request is live until it settles
 * exactly once, so admitted = committed + replayed + failed + in-flight. Its map of live requests
 * is the only one: the admission path keeps its tickets here (as {@link InFlight} entries) and
 * finds the overdue ones here, so a request cannot be live in one place and settled in another.
 * {@code flowgate_unaccounted_requests} counts what breaks that promise: requests still live long
 * past the request timeout (nobody will ever answer them) plus settlements of a request that was
 * not live (settled twice). Both come from one view each (one scan of the live map, one counter
 * that only grows), so the figure is exact under traffic and never negative; it raises an alert, it
 * never takes a replica out of service.
 */
@ApplicationScoped
public class StartLedger {

  /** How a settled request ended. */
  public enum Settlement {
    COMMITTED,
    REPLAYED,
    FAILED
  }

  /** An admitted request until it settles: its trace and when it was admitted. */
  public interface InFlight {
    String traceId();

    /** On the ledger's {@link #ticker()}. */
    long admittedAtNanos();
  }

  private record Live(String traceId, long admittedAtNanos) implements InFlight {}

  private final MeterRegistry registry;
  private final Ticker ticker;
  private final Map<Long, InFlight> live = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong admitted = new AtomicLong();
  private final AtomicLong committed = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong doubleSettled = new AtomicLong();
  private final Counter admittedCounter;
  private final Counter committedCounter;
  private final Counter replayedCounter;
  private final Counter clientGoneCounter;
  // one registered counter per code, looked up once: a registry lookup per answer builds tags
  private final Map<ErrorCode, Counter> rejectedCounters = new ConcurrentHashMap<>();
  private final Map<ErrorCode, Counter> failedCounters = new ConcurrentHashMap<>();
  private volatile long overdueAfterNanos = Duration.ofSeconds(30).toNanos();

  public StartLedger(MeterRegistry registry) {
    this(registry, Ticker.systemTicker());
  }

  @Inject
  public StartLedger(MeterRegistry registry, Ticker ticker) {
    this.registry = registry;
    this.ticker = ticker;
    this.admittedCounter = registry.counter("flowgate.start.admitted");
    this.committedCounter = registry.counter("flowgate.start.committed");
    this.replayedCounter = registry.counter("flowgate.start.replayed");
    this.clientGoneCounter =
        Counter.builder("flowgate.start.client.gone")
            .description("admitted starts whose client hung up before the answer; still settled")
            .register(registry);
    Gauge.builder("flowgate.start.in.flight", live, Map::size).register(registry);
    Gauge.builder("flowgate.unaccounted.requests", this, StartLedger::unaccounted)
        .description("requests overdue plus requests settled twice; must be 0")
        .register(registry);
  }

  /** After this long unanswered, a live request counts as unaccounted. */
  public void overdueAfter(Duration duration) {
    this.overdueAfterNanos = duration.toNanos();
  }

  /** A fresh request id, unique among every request this ledger sees. */
  public long nextRequestId() {
    return ids.incrementAndGet();
  }

  /** The clock of {@link InFlight#admittedAtNanos()}. */
  public Ticker ticker() {
    return ticker;
  }

  /** A request entered the admission queue. */
  public void admitted(long requestId, String traceId) {
    admitted(requestId, new Live(traceId, ticker.read()));
  }

  /** A request entered the admission queue; it stays in flight as {@code request} until settled. */
  public void admitted(long requestId, InFlight request) {
    live.put(requestId, request);
    admitted.incrementAndGet();
    admittedCounter.increment();
  }

  /** The requests in flight that were admitted before {@code nanos}. */
  public List<InFlight> admittedBefore(long nanos) {
    return live.values().stream().filter(l -> l.admittedAtNanos() - nanos < 0).toList();
  }

  /** A request was refused before admission (never entered the queue). */
  public void rejected(ErrorCode code) {
    rejectedCounters
        .computeIfAbsent(code, c -> registry.counter("flowgate.start.rejected", "code", c.name()))
        .increment();
  }

  /** The client of an admitted, still unsettled request hung up; the request still settles. */
  public void clientGone() {
    clientGoneCounter.increment();
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
        failedCounters
            .computeIfAbsent(code, c -> registry.counter("flowgate.start.failed", "code", c.name()))
            .increment();
      }
    }
  }

  /**
   * Requests overdue + double settlements. Not computed as admitted − settled − in-flight: those
   * counters cannot be read at one instant, so under traffic that difference reads ±n while nothing
   * is wrong.
   */
  public long unaccounted() {
    long now = ticker.read();
    long overdue =
        live.values().stream().filter(l -> now - l.admittedAtNanos() >= overdueAfterNanos).count();
    return overdue + doubleSettled.get();
  }

  public long clientGoneCount() {
    return (long) clientGoneCounter.count();
  }

  /** Trace ids of the requests that are overdue: the evidence behind a non-zero unaccounted. */
  public List<String> overdueTraceIds() {
    long now = ticker.read();
    return live.values().stream()
        .filter(l -> now - l.admittedAtNanos() >= overdueAfterNanos)
        .map(InFlight::traceId)
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
