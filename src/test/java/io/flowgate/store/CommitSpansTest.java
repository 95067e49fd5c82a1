package io.flowgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowgate.observability.SpanNames;
import io.flowgate.support.StartCommands;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The commit's part of a start's trace: no span of its own per request, its attempts recorded on
 * the request's {@code flowgate.instance.create} span, one link from there to the batch span, and a
 * link from the batch span back to each request it serves.
 */
class CommitSpansTest {

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final SdkTracerProvider tracing =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
  private final Tracer tracer = tracing.get("test");
  private final CommitSpans commitSpans = new CommitSpans(tracer);

  @AfterEach
  void close() {
    tracing.close();
  }

  @Test
  void aCommittedAttemptIsRecordedOnTheRequestsSpanWhichLinksToTheBatch() {
    CommitTrace a = trace();
    CommitTrace b = trace();
    List<StartCommand> batch = List.of(command("a").tracedBy(a), command("b").tracedBy(b));

    commitSpans.start(batch, 1).end(null);
    a.end();
    b.end();

    SpanData batchSpan = only(SpanNames.COMMIT_BATCH);
    assertThat(batchSpan.getParentSpanContext().isValid()).isFalse();
    assertThat(batchSpan.getLinks())
        .extracting(LinkData::getSpanContext)
        .containsExactly(a.span().getSpanContext(), b.span().getSpanContext());
    assertThat(batchSpan.getAttributes().get(SpanNames.BATCH_SIZE)).isEqualTo(2L);
    assertThat(batchSpan.getAttributes().get(SpanNames.ATTEMPT)).isEqualTo(1L);
    assertThat(batchSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    List<SpanData> creates = named(SpanNames.INSTANCE_CREATE);
    assertThat(creates).hasSize(2);
    for (SpanData create : creates) {
      assertThat(create.getLinks())
          .singleElement()
          .satisfies(l -> assertThat(l.getSpanContext()).isEqualTo(batchSpan.getSpanContext()));
      assertThat(create.getAttributes().get(SpanNames.BATCH_ID))
          .isEqualTo(batchSpan.getAttributes().get(SpanNames.BATCH_ID))
          .isNotNull();
      // size, attempt and commit time are the linked batch span's, not repeated per request
      assertThat(create.getAttributes().get(SpanNames.BATCH_SIZE)).isNull();
      assertThat(create.getAttributes().get(SpanNames.ATTEMPT)).isNull();
      assertThat(create.getAttributes().get(SpanNames.COMMIT_MILLIS)).isNull();
      assertThat(create.getEvents()).isEmpty();
    }
    assertThat(exported.getFinishedSpanItems()).hasSize(3);
  }

  @Test
  void aRetriedBatchShowsTheLastAttemptAndAnEventPerFailedOne() {
    CommitTrace trace = trace();
    List<StartCommand> batch = List.of(command("a").tracedBy(trace));

    CommitSpans.Commit first = commitSpans.start(batch, 1);
    first.recordException(new IllegalStateException("connection reset"));
    first.end("IllegalStateException");
    commitSpans.start(batch, 2).end(null);
    trace.end();

    List<SpanData> batches = named(SpanNames.COMMIT_BATCH);
    assertThat(batches).hasSize(2);
    SpanData failed = batches.get(0);
    SpanData committed = batches.get(1);
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    // every attempt's batch span links to the requests it carried
    assertThat(batches)
        .allSatisfy(
            s ->
                assertThat(s.getLinks())
                    .extracting(LinkData::getSpanContext)
                    .containsExactly(trace.span().getSpanContext()));
    SpanData create = only(SpanNames.INSTANCE_CREATE);
    assertThat(create.getAttributes().get(SpanNames.BATCH_ID))
        .isEqualTo(committed.getAttributes().get(SpanNames.BATCH_ID));
    assertThat(committed.getAttributes().get(SpanNames.ATTEMPT)).isEqualTo(2L);
    assertThat(create.getLinks())
        .singleElement()
        .satisfies(l -> assertThat(l.getSpanContext()).isEqualTo(committed.getSpanContext()));
    // a failed attempt that a retry made good is an event, not the start's status
    assertThat(create.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    EventData event = create.getEvents().get(0);
    assertThat(create.getEvents()).hasSize(1);
    assertThat(event.getName()).isEqualTo(SpanNames.COMMIT_FAILED);
    assertThat(event.getAttributes().get(SpanNames.BATCH_ID))
        .isEqualTo(failed.getAttributes().get(SpanNames.BATCH_ID));
    assertThat(event.getAttributes().get(SpanNames.ATTEMPT)).isEqualTo(1L);
    assertThat(event.getAttributes().get(SpanNames.ERROR_TYPE)).isEqualTo("IllegalStateException");
    assertThat(event.getAttributes().get(SpanNames.COMMIT_MILLIS)).isNotNull();
  }

  @Test
  void anAttemptEndingAfterTheStartWasAnsweredChangesNothing() {
    CommitTrace trace = trace();
    List<StartCommand> batch = List.of(command("a").tracedBy(trace));
    CommitSpans.Commit late = commitSpans.start(batch, 1);
    trace.end();

    late.end(null);

    SpanData create = only(SpanNames.INSTANCE_CREATE);
    assertThat(create.getAttributes().get(SpanNames.BATCH_ID)).isNull();
    assertThat(create.getLinks()).isEmpty();
    // the batch span was started while the request still waited: it keeps its link
    assertThat(only(SpanNames.COMMIT_BATCH).getLinks())
        .extracting(LinkData::getSpanContext)
        .containsExactly(create.getSpanContext());
  }

  @Test
  void anUntracedCommandRecordsOnlyTheBatchSpan() {
    StartCommand untraced = command("a");
    assertThat(untraced.commitTrace()).isSameAs(CommitTrace.NONE);
    assertThat(untraced.tracedBy(CommitTrace.NONE)).isSameAs(untraced);

    commitSpans.start(List.of(untraced), 1).end(null);

    assertThat(exported.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactly(SpanNames.COMMIT_BATCH);
    assertThat(only(SpanNames.COMMIT_BATCH).getLinks()).isEmpty();
  }

  @Test
  void aMixedBatchLinksOnlyItsTracedRequests() {
    CommitTrace traced = trace();
    List<StartCommand> batch = List.of(command("a"), command("b").tracedBy(traced));

    commitSpans.start(batch, 1).end(null);
    traced.end();

    assertThat(only(SpanNames.COMMIT_BATCH).getLinks())
        .extracting(LinkData::getSpanContext)
        .containsExactly(traced.span().getSpanContext());
  }

  @Test
  void aBatchLargerThanTheSpanLinkLimitIsRefusedAtStart() {
    assertThatThrownBy(() -> CommitSpans.checkLinkLimit(129, 128))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("flowgate.store.max-batch (129)")
        .hasMessageContaining(CommitSpans.LINK_LIMIT + " (128)");
    CommitSpans.checkLinkLimit(128, 128);
  }

  private CommitTrace trace() {
    return CommitTrace.of(tracer.spanBuilder(SpanNames.INSTANCE_CREATE).startSpan());
  }

  private List<SpanData> named(String name) {
    return exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  private SpanData only(String name) {
    List<SpanData> found = named(name);
    assertThat(found).as("spans named %s", name).hasSize(1);
    return found.get(0);
  }

  private static StartCommand command(String key) {
    return StartCommands.keyed(key);
  }
}
