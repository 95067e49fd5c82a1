package io.flowgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;

class TraceParentsTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";

  @Test
  void writesTheW3cHeadersOfASpan() {
    SpanContext span =
        SpanContext.create(
            TRACE,
            SPAN,
            TraceFlags.getSampled(),
            TraceState.builder().put("vendor", "a1").put("other", "b2").build());

    TraceParents.W3cHeaders headers = TraceParents.of(span);

    assertThat(headers.traceParent()).isEqualTo("00-" + TRACE + "-" + SPAN + "-01");
    assertThat(headers.traceState()).contains("vendor=a1").contains("other=b2").contains(",");
  }

  @Test
  void whatIsWrittenReadsBackAsTheSameContext() {
    SpanContext span =
        SpanContext.create(
            TRACE, SPAN, TraceFlags.getDefault(), TraceState.builder().put("k", "v").build());

    TraceParents.W3cHeaders headers = TraceParents.of(span);
    SpanContext read = TraceParents.spanContext(headers.traceParent(), headers.traceState());

    assertThat(read.getTraceId()).isEqualTo(TRACE);
    assertThat(read.getSpanId()).isEqualTo(SPAN);
    assertThat(read.isSampled()).isFalse();
    assertThat(read.getTraceState().get("k")).isEqualTo("v");
    assertThat(read.isRemote()).isTrue();
  }

  @Test
  void noSpanWritesNothing() {
    assertThat(TraceParents.of(SpanContext.getInvalid())).isEqualTo(TraceParents.W3cHeaders.NONE);
    assertThat(TraceParents.of(null).traceParent()).isNull();
  }

  @Test
  void readsTheTraceIdOfAStoredTraceparent() {
    assertThat(TraceParents.traceId("00-" + TRACE + "-" + SPAN + "-01")).isEqualTo(TRACE);
    assertThat(TraceParents.traceId(null)).isNull();
  }

  @Test
  void aMalformedTraceparentHasNoTraceId() {
    // long enough for a substring to "find" an id, but no W3C traceparent
    assertThat(TraceParents.traceId("xx-not-a-traceparent-at-all-just-text-0000000")).isNull();
    assertThat(TraceParents.traceId("00-" + "0".repeat(32) + "-" + SPAN + "-01")).isNull();
    assertThat(TraceParents.spanContext("00-short", null).isValid()).isFalse();
  }
}
