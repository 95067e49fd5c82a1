package io.flowgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

class EngineTracingTest {

  @Test
  void theStoredTraceParentBecomesTheParentOfEngineSpans() {
    SpanContext parent =
        Span.fromContext(
                EngineTracing.parent(
                    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=x"))
            .getSpanContext();

    assertThat(parent.isRemote()).isTrue();
    assertThat(parent.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(parent.getSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(parent.getTraceState().get("vendor")).isEqualTo("x");
  }

  @Test
  void noOrBadTraceParentStartsANewTrace() {
    assertThat(EngineTracing.parent(null, null)).isSameAs(Context.root());
    assertThat(Span.fromContext(EngineTracing.parent("garbage", null)).getSpanContext().isValid())
        .isFalse();
  }
}
