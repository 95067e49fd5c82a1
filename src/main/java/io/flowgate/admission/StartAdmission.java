package io.flowgate.admission;

import com.github.benmanes.caffeine.cache.Ticker;
import io.flowgate.config.AdmissionConfig;
import io.flowgate.config.RequestConfig;
import io.flowgate.observability.StartLedger;
import io.flowgate.observability.StartLedger.Settlement;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.flowgate.store.InstanceWriter;
import io.flowgate.store.ItemResult;
import io.flowgate.store.StartCommand;
import io.flowgate.store.StartOutcome;
import io.flowgate.store.StoreBoundary;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.DoubleStream;

/**
 * The admission path of every start: refuse at once what cannot be served (shutdown, open breaker,
 * full queue), queue the rest, drain the queue into the store in batches, and answer each request
 * exactly once, after its commit or with an explicit error.
 */
@ApplicationScoped
public class StartAdmission {

  private final AdmissionQueue queue;
  private final InstanceWriter writer;
  private final StartLedger ledger;
  private final AdmissionSpans spans;
  private final CircuitBreakerMaintenance breakers;
  private final Vertx vertx;
  private final long maxWaitNanos;
  private final long requestTimeoutNanos;
  private final long lingerMillis;
  private final Ticker ticker;
  private final DrainRate drainRate;
  private final long sweepMillis;
  // the one lock of admission: the queue, the batches in flight and the linger timer
  private final Object lock = new Object();
  private final Timer queueWait;
  private final DistributionSummary batchSize;
  private final Timer commitLatency;
  private int batchesInFlight;
  private boolean lingerArmed;
  private volatile boolean shuttingDown;
  private long sweepTimer = -1;

  public StartAdmission(
      AdmissionConfig admission,
      RequestConfig request,
      InstanceWriter writer,
      StartLedger ledger,
      AdmissionSpans spans,
      CircuitBreakerMaintenance breakers,
      Vertx vertx,
      MeterRegistry registry) {
    this.ticker = ledger.ticker();
    this.drainRate = new DrainRate(ticker.read());
    this.queue = new AdmissionQueue(admission.capacity(), admission.fairShareFrom());
    this.writer = writer;
    this.ledger = ledger;
    this.spans = spans;
    this.breakers = breakers;
    this.vertx = vertx;
    this.maxWaitNanos = admission.maxWait().toNanos();
    this.requestTimeoutNanos = request.timeout().toNanos();
    this.lingerMillis = Math.max(1, writer.lingerMillis());
    ledger.overdueAfter(request.timeout().plusSeconds(5));
    this.queueWait =
        Timer.builder("flowgate.admission.wait").publishPercentileHistogram().register(registry);
    this.batchSize =
        DistributionSummary.builder("flowgate.store.batch.size")
            // buckets that fit a batch (powers of two up to the largest), not the default 276
            .serviceLevelObjectives(batchBuckets(writer.maxBatch()))
            .register(registry);
    this.commitLatency =
        Timer.builder("flowgate.store.commit.latency")
            .publishPercentileHistogram()
            .register(registry);
    Gauge.builder("flowgate.admission.queue.depth", queue, AdmissionQueue::size).register(registry);
    Gauge.builder("flowgate.admission.queue.capacity", queue, AdmissionQueue::capacity)
        .register(registry);
    this.sweepMillis = Math.max(10, Math.min(100, admission.maxWait().toMillis() / 10));
  }

  // A startup observer rather than @Scheduled: the period derives from max-wait, and the sweep must
  // go on through the shutdown drain and stop only after it (see shutdown).
  void startSweeping(@Observes StartupEvent event) {
    synchronized (lock) {
      if (sweepTimer < 0 && !shuttingDown) {
        sweepTimer = vertx.setPeriodic(sweepMillis, id -> sweep());
      }
    }
  }

  private void stopSweeping() {
    synchronized (lock) {
      if (sweepTimer >= 0) {
        vertx.cancelTimer(sweepTimer);
        sweepTimer = -1;
      }
    }
  }

  // 1, 2, 4 ... below the largest batch, and the largest batch itself
  private static double[] batchBuckets(int maxBatch) {
    return DoubleStream.concat(
            DoubleStream.iterate(1, b -> b < maxBatch, b -> b * 2), DoubleStream.of(maxBatch))
        .toArray();
  }

  /** Admits one start; the Uni completes after commit, or fails with a FlowgateException. */
  public Uni<StartOutcome> start(StartCommand command) {
    ErrorCode refusal = refusal();
    if (refusal != null) {
      return Uni.createFrom().failure(reject(refusal, command));
    }
    Ticket ticket =
        new Ticket(
            ledger.nextRequestId(),
            command.tracedBy(spans.startCreate(command)),
            ticker.read(),
            Span.current().getSpanContext().getTraceId());
    if (!enqueue(ticket)) {
      spans.waited(ticket, ticker.read());
      spans.failed(ticket, ErrorCode.ADMISSION_QUEUE_FULL);
      return Uni.createFrom().failure(reject(ErrorCode.ADMISSION_QUEUE_FULL, command));
    }
    pump();
    Context context = Vertx.currentContext();
    // each subscriber gets its own copy of the answer: the client's cancel stops at the copy
    Uni<StartOutcome> answer =
        Uni.createFrom()
            .completionStage(ticket::answer)
            .onCancellation()
            .invoke(() -> clientGone(ticket));
    return context == null ? answer : answer.emitOn(task -> context.runOnContext(v -> task.run()));
  }

  // the client hung up before its answer: the ticket still settles, and the answer is counted
  private void clientGone(Ticket ticket) {
    if (ticket.clientGone()) {
      ledger.clientGone();
      Log.debugf("start request %d: the client hung up before its answer", ticket.id());
    }
  }

  // Registers the ticket in the ledger (the one map of requests in flight) in the same step as it
  // enters the queue: the writer polls under the same lock, so no ticket can be answered before it
  // is accounted.
  private boolean enqueue(Ticket ticket) {
    synchronized (lock) {
      if (queue.offer(ticket) != AdmissionQueue.Offer.ACCEPTED) {
        return false;
      }
      ledger.admitted(ticket.id(), ticket);
      return true;
    }
  }

  private ErrorCode refusal() {
    if (shuttingDown) {
      return ErrorCode.SHUTTING_DOWN;
    }
    if (breakers.currentState(StoreBoundary.BREAKER) == CircuitBreakerState.OPEN) {
      return ErrorCode.STORE_UNAVAILABLE;
    }
    return null;
  }

  private FlowgateException reject(ErrorCode code, StartCommand command) {
    ledger.rejected(code);
    long retryAfter =
        code == ErrorCode.ADMISSION_QUEUE_FULL ? drainRate.retryAfterSeconds(queue.size()) : 1;
    String detail =
        switch (code) {
          case ADMISSION_QUEUE_FULL ->
              "the admission queue is full; retry after " + retryAfter + "s";
          case STORE_UNAVAILABLE -> "the store circuit breaker is open; nothing was written";
          default -> "the service is shutting down; nothing was written";
        };
    return new FlowgateException(code, detail, retryAfter);
  }

  // launches batches while there is work and a free slot; an idle writer lingers for a fuller batch
  private void pump() {
    List<List<Ticket>> batches = new ArrayList<>();
    synchronized (lock) {
      while (batchesInFlight < writer.maxInFlight() && queue.size() > 0) {
        if (batchesInFlight == 0 && queue.size() < writer.maxBatch()) {
          if (!lingerArmed) {
            lingerArmed = true;
            vertx.setTimer(lingerMillis, id -> lingerElapsed());
          }
          break;
        }
        batchesInFlight++;
        batches.add(queue.poll(writer.maxBatch()));
      }
    }
    batches.forEach(this::write);
  }

  private void lingerElapsed() {
    List<Ticket> batch = null;
    synchronized (lock) {
      lingerArmed = false;
      if (batchesInFlight < writer.maxInFlight() && queue.size() > 0) {
        batchesInFlight++;
        batch = queue.poll(writer.maxBatch());
      }
    }
    if (batch != null) {
      write(batch);
    }
    pump();
  }

  private void write(List<Ticket> polled) {
    long now = ticker.read();
    List<Ticket> batch = new ArrayList<>(polled.size());
    for (Ticket ticket : polled) {
      if (ticket.take()) {
        queueWait.record(now - ticket.enqueuedAtNanos(), TimeUnit.NANOSECONDS);
        spans.waited(ticket, now);
        batch.add(ticket);
      }
    }
    if (batch.isEmpty()) {
      batchDone(0);
      return;
    }
    batchSize.record(batch.size());
    List<StartCommand> commands = batch.stream().map(Ticket::command).toList();
    writer
        .commit(commands)
        .subscribe()
        .with(
            results -> {
              commitLatency.record(ticker.read() - now, TimeUnit.NANOSECONDS);
              for (int i = 0; i < batch.size(); i++) {
                answer(batch.get(i), results.get(i));
              }
              batchDone(batch.size());
            },
            failure -> {
              // writers never fail, but if one does every item still gets its answer
              Log.errorf(failure, "writer failed a batch of %d", batch.size());
              FlowgateException error =
                  new FlowgateException(
                      ErrorCode.OUTCOME_UNKNOWN, "the commit outcome is unknown", 1);
              batch.forEach(t -> answer(t, ItemResult.failed(error)));
              batchDone(batch.size());
            });
  }

  private void batchDone(int written) {
    drainRate.record(written, ticker.read());
    synchronized (lock) {
      batchesInFlight--;
    }
    pump();
  }

  private void answer(Ticket ticket, ItemResult result) {
    boolean won =
        result.outcome() != null ? ticket.complete(result.outcome()) : ticket.fail(result.error());
    if (!won) {
      return;
    }
    if (result.outcome() != null) {
      Settlement settlement =
          switch (result.outcome().kind()) {
            case CREATED -> Settlement.COMMITTED;
            case REPLAYED -> Settlement.REPLAYED;
            case KEY_REUSED -> Settlement.FAILED;
          };
      ErrorCode code = settlement == Settlement.FAILED ? ErrorCode.IDEMPOTENCY_KEY_REUSED : null;
      ledger.settled(ticket.id(), settlement, code);
      spans.created(ticket, result.outcome());
    } else {
      ledger.settled(ticket.id(), Settlement.FAILED, result.error().code());
      spans.failed(ticket, result.error().code());
    }
  }

  // answers what waited too long in the queue, and what the store holds past the request timeout
  void sweep() {
    long now = ticker.read();
    for (Ticket ticket : queue.removeEnqueuedBefore(now - maxWaitNanos)) {
      if (ticket.expire()) {
        spans.waited(ticket, now);
        answer(ticket, ItemResult.failed(queueTimeout()));
      }
    }
    for (StartLedger.InFlight request : ledger.admittedBefore(now - requestTimeoutNanos)) {
      if (request instanceof Ticket ticket) {
        answer(
            ticket,
            ItemResult.failed(
                new FlowgateException(
                    ErrorCode.OUTCOME_UNKNOWN,
                    "no commit confirmation within the request timeout; retry with the same key",
                    1)));
      }
    }
  }

  private FlowgateException queueTimeout() {
    return new FlowgateException(
        ErrorCode.QUEUE_TIMEOUT,
        "waited longer than the maximum queue wait; nothing was written",
        drainRate.retryAfterSeconds(queue.size()));
  }

  /**
   * Stops admitting: readiness goes DOWN and new starts get 503 SHUTTING_DOWN; the queue drains.
   */
  public void beginShutdown() {
    if (!shuttingDown) {
      shuttingDown = true;
      Log.infof("shutdown began: refusing new starts, %d queued", queue.size());
    }
  }

  /** Stops admitting, lets the queue drain for up to the grace period, then answers the rest. */
  public void shutdown(long graceMillis) {
    shuttingDown = true;
    // a wait on the wall clock: this thread sleeps between looks, whatever the ticker says
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
    while (ledger.inFlight() > 0 && System.nanoTime() - deadline < 0) {
      pump();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    FlowgateException error =
        new FlowgateException(
            ErrorCode.SHUTTING_DOWN, "the service shut down before the commit", 1);
    for (Ticket ticket : queue.clear()) {
      if (ticket.expire()) {
        spans.waited(ticket, ticker.read());
        answer(ticket, ItemResult.failed(error));
      }
    }
    stopSweeping();
    if (ledger.inFlight() > 0) {
      Log.warnf("%d start requests were still committing at shutdown", ledger.inFlight());
    }
  }

  public boolean shuttingDown() {
    return shuttingDown;
  }

  public int depth() {
    return queue.size();
  }

  public int capacity() {
    return queue.capacity();
  }

  public double drainRatePerSecond() {
    return drainRate.perSecond();
  }
}
