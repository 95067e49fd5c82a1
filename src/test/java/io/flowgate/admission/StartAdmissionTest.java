package io.flowgate.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowgate.config.AdmissionConfig;
import io.flowgate.config.RequestConfig;
import io.flowgate.observability.SpanNames;
import io.flowgate.observability.StartLedger;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.flowgate.store.InstanceSummary;
import io.flowgate.store.InstanceWriter;
import io.flowgate.store.ItemResult;
import io.flowgate.store.StartCommand;
import io.flowgate.store.StartOutcome;
import io.flowgate.support.ManualTicker;
import io.flowgate.support.StartCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Admission without Quarkus: a writer the test answers by hand, a clock the test moves, and the
 * real ledger, whose identity admitted = committed + replayed + failed + in-flight must hold after
 * every path (answered, expired in the queue, held past the request timeout, refused). A recording
 * tracer shows the one span each admitted start leaves, {@code flowgate.instance.create}.
 */
class StartAdmissionTest {

  private static final Duration MAX_WAIT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** Takes one command per batch, one batch at a time, and commits when the test says so. */
  private static final class HeldWriter implements InstanceWriter {
    final List<StartCommand> written = new ArrayList<>();
    final List<CompletableFuture<List<ItemResult>>> pending = new ArrayList<>();

    @Override
    public Uni<List<ItemResult>> commit(List<StartCommand> batch) {
      written.addAll(batch);
      CompletableFuture<List<ItemResult>> result = new CompletableFuture<>();
      pending.add(result);
      return Uni.createFrom().completionStage(result);
    }

    void commitNext() {
      StartCommand command = written.get(written.size() - 1);
      pending
          .remove(0)
          .complete(
              List.of(
                  ItemResult.of(
                      StartOutcome.created(
                          new InstanceSummary(
                              1, 1, 1, 1, "SUBMITTED", command.idempotencyKey(), null, null)))));
    }

    @Override
    public int maxBatch() {
      return 1;
    }

    @Override
    public int maxInFlight() {
      return 1;
    }

    @Override
    public long lingerMillis() {
      return 1;
    }
  }

  private final ManualTicker clock = new ManualTicker();
  private final StartLedger ledger = new StartLedger(new SimpleMeterRegistry(), clock);
  private final HeldWriter writer = new HeldWriter();
  private final Breaker breaker = new Breaker();
  private final Vertx vertx = Vertx.vertx();
  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final SdkTracerProvider tracing =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
  private final StartAdmission admission = admission(2);

  @AfterEach
  void closeVertx() {
    vertx.close();
    tracing.close();
  }

  @Test
  void eachRequestIsWrittenOnceAndAnsweredAfterItsCommit() {
    CompletableFuture<StartOutcome> first = start("a");
    CompletableFuture<StartOutcome> second = start("b");
    assertThat(writer.written).extracting(StartCommand::idempotencyKey).containsExactly("a");
    assertThat(first).isNotDone();

    writer.commitNext();
    assertThat(first.join().instance().idempotencyKey()).isEqualTo("a");
    assertThat(writer.written).extracting(StartCommand::idempotencyKey).containsExactly("a", "b");
    writer.commitNext();

    assertThat(second.join().instance().idempotencyKey()).isEqualTo("b");
    assertBalanced(2, 0);
  }

  @Test
  void anAnsweredStartLeavesOneSpanWithItsQueueWaitAndOutcome() {
    start("a");
    CompletableFuture<StartOutcome> second = start("b");
    clock.advance(Duration.ofMillis(40));
    writer.commitNext();
    writer.commitNext();
    second.join();

    assertThat(exported.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactly(SpanNames.INSTANCE_CREATE, SpanNames.INSTANCE_CREATE);
    SpanData create = spanOf("b");
    assertThat(create.getAttributes().get(SpanNames.WAIT_MILLIS)).isEqualTo(40L);
    assertThat(create.getAttributes().get(SpanNames.PRIORITY)).isEqualTo("MEDIUM");
    assertThat(create.getAttributes().get(SpanNames.PROJECT)).isEqualTo(1L);
    assertThat(create.getAttributes().get(SpanNames.OUTCOME)).isEqualTo("CREATED");
    assertThat(create.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    // the writer here records no commit attempt: no batch to link to
    assertThat(create.getLinks()).isEmpty();
    // the span was handed to the writer with the command
    assertThat(writer.written.get(1).commitTrace().span().getSpanContext())
        .isEqualTo(create.getSpanContext());
  }

  @Test
  void aRequestQueuedPastTheMaximumWaitIsAnsweredQueueTimeoutAndNeverWritten() {
    start("a");
    CompletableFuture<StartOutcome> queued = start("b");

    clock.advance(MAX_WAIT.plusMillis(1));
    admission.sweep();

    assertFailedWith(queued, ErrorCode.QUEUE_TIMEOUT);
    writer.commitNext();
    assertThat(writer.written).extracting(StartCommand::idempotencyKey).containsExactly("a");
    assertBalanced(1, 1);
    assertRefusedInTheQueue(
        spanOf("b"), ErrorCode.QUEUE_TIMEOUT, MAX_WAIT.plusMillis(1).toMillis());
  }

  @Test
  void aRequestJustUnderTheMaximumWaitStaysQueued() {
    start("a");
    CompletableFuture<StartOutcome> queued = start("b");

    clock.advance(MAX_WAIT);
    admission.sweep();

    assertThat(queued).isNotDone();
    assertThat(ledger.inFlight()).isEqualTo(2);
  }

  @Test
  void aCommitHeldPastTheRequestTimeoutIsAnsweredOnceAndItsLateResultIsIgnored() {
    CompletableFuture<StartOutcome> held = start("a");

    clock.advance(REQUEST_TIMEOUT.plusMillis(1));
    admission.sweep();
    assertFailedWith(held, ErrorCode.OUTCOME_UNKNOWN);

    writer.commitNext();
    assertThat(ledger.committedCount()).isZero();
    assertThat(ledger.unaccounted()).isZero();
    assertBalanced(0, 1);
  }

  @Test
  void anOpenBreakerRefusesAtOnceAndAdmitsNothing() {
    breaker.state = CircuitBreakerState.OPEN;

    assertFailedWith(start("a"), ErrorCode.STORE_UNAVAILABLE);

    assertThat(writer.written).isEmpty();
    assertThat(ledger.admittedCount()).isZero();
  }

  @Test
  void aFullQueueRefusesAndAdmitsNothingMore() {
    start("a");
    start("b");
    start("c");

    assertFailedWith(start("d"), ErrorCode.ADMISSION_QUEUE_FULL);
    assertThat(ledger.admittedCount()).isEqualTo(3);
    assertThat(ledger.inFlight()).isEqualTo(3);
    assertRefusedInTheQueue(spanOf("d"), ErrorCode.ADMISSION_QUEUE_FULL, 0);
  }

  // a start refused on its way through the queue: its one span tells the refusal and the wait
  private void assertRefusedInTheQueue(SpanData create, ErrorCode code, long waitedMillis) {
    assertThat(exported.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsOnly(SpanNames.INSTANCE_CREATE);
    assertThat(create.getAttributes().get(SpanNames.OUTCOME)).isEqualTo(code.name());
    assertThat(create.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(create.getStatus().getDescription()).isEqualTo(code.name());
    assertThat(create.getAttributes().get(SpanNames.WAIT_MILLIS)).isEqualTo(waitedMillis);
    assertThat(create.getAttributes().get(SpanNames.BATCH_ID)).isNull();
    assertThat(create.getLinks()).isEmpty();
  }

  private SpanData spanOf(String key) {
    List<SpanData> found =
        exported.getFinishedSpanItems().stream()
            .filter(s -> key.equals(s.getAttributes().get(SpanNames.IDEMPOTENCY_KEY)))
            .toList();
    assertThat(found).as("spans of start %s", key).hasSize(1);
    return found.get(0);
  }

  private CompletableFuture<StartOutcome> start(String key) {
    return admission.start(command(key)).subscribeAsCompletionStage();
  }

  private void assertBalanced(long committed, long failed) {
    assertThat(ledger.inFlight()).isZero();
    assertThat(ledger.committedCount()).isEqualTo(committed);
    assertThat(ledger.failedCount()).isEqualTo(failed);
    assertThat(ledger.admittedCount())
        .isEqualTo(ledger.committedCount() + ledger.replayedCount() + ledger.failedCount());
  }

  private static void assertFailedWith(CompletableFuture<StartOutcome> answer, ErrorCode code) {
    assertThat(answer).isDone();
    assertThatThrownBy(answer::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(FlowgateException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static StartCommand command(String key) {
    return StartCommands.keyed(key);
  }

  private StartAdmission admission(int capacity) {
    return new StartAdmission(
        new Admission(capacity),
        new Request(),
        writer,
        ledger,
        new AdmissionSpans(tracing.get("test")),
        breaker,
        vertx,
        new SimpleMeterRegistry());
  }

  private static final class Breaker implements CircuitBreakerMaintenance {
    CircuitBreakerState state = CircuitBreakerState.CLOSED;

    @Override
    public CircuitBreakerState currentState(String name) {
      return state;
    }

    @Override
    public void onStateChange(String name, Consumer<CircuitBreakerState> callback) {}

    @Override
    public void reset(String name) {
      state = CircuitBreakerState.CLOSED;
    }

    @Override
    public void resetAll() {
      reset(null);
    }
  }

  private record Admission(int capacity) implements AdmissionConfig {
    @Override
    public Duration maxWait() {
      return MAX_WAIT;
    }

    @Override
    public double highWater() {
      return 0.9;
    }

    @Override
    public double fairShareFrom() {
      return 1.0;
    }
  }

  private record Request() implements RequestConfig {
    @Override
    public Duration timeout() {
      return REQUEST_TIMEOUT;
    }

    @Override
    public long maxBody() {
      return 65536;
    }

    @Override
    public int maxBatchItems() {
      return 1000;
    }

    @Override
    public int maxParams() {
      return 100;
    }

    @Override
    public int maxParamLength() {
      return 4096;
    }

    @Override
    public int maxJsonDepth() {
      return 32;
    }
  }
}
