package io.flowgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleSpanProcessorsTest {

  @Test
  void aBatchProcessorExportingToNothingIsLeftOut() {
    BatchSpanProcessor idle = BatchSpanProcessor.builder(SpanExporter.composite()).build();

    SpanProcessor kept = IdleSpanProcessors.withoutIdle(idle, null);

    assertThat(kept).isNotSameAs(idle);
    assertThat(kept.isStartRequired()).isFalse();
    assertThat(kept.isEndRequired()).as("ended spans are not handed to it").isFalse();
  }

  @Test
  void aBatchProcessorWithARealExporterStays() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    BatchSpanProcessor exporting = BatchSpanProcessor.builder(exporter).build();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(IdleSpanProcessors.withoutIdle(exporting, null))
            .build()) {
      Span span = provider.get("test").spanBuilder("kept").startSpan();
      span.end();
      provider.forceFlush().join(10, TimeUnit.SECONDS);

      assertThat(exporter.getFinishedSpanItems()).extracting("name").containsExactly("kept");
    }
  }

  @Test
  void otherProcessorsStayEvenWithTheNoOpExporter() {
    SpanProcessor simple = SimpleSpanProcessor.create(SpanExporter.composite());

    assertThat(IdleSpanProcessors.withoutIdle(simple, null)).isSameAs(simple);
  }
}
