package io.flowgate.store;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;

/**
 * The W3C trace context stored with an instance ({@code trace_parent}, {@code trace_state}),
 * written and read by OpenTelemetry's W3C propagator: the stored form is W3C whatever propagators
 * are configured for HTTP.
 */
public final class TraceParents {

  /** The two W3C headers of one span context; both null when there is no valid span. */
  public record W3cHeaders(String traceParent, String traceState) {
    public static final W3cHeaders NONE = new W3cHeaders(null, null);
  }

  private static final String TRACEPARENT = "traceparent";
  private static final String TRACESTATE = "tracestate";
  private static final List<String> KEYS = List.of(TRACEPARENT, TRACESTATE);
  private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

  // carrier: [traceparent, tracestate]
  private static final TextMapSetter<String[]> SETTER =
      (carrier, key, value) -> {
        if (TRACEPARENT.equals(key)) {
          carrier[0] = value;
        } else if (TRACESTATE.equals(key)) {
          carrier[1] = value;
        }
      };

  private static final TextMapGetter<String[]> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String[] carrier) {
          return KEYS;
        }

        @Override
        public String get(String[] carrier, String key) {
          if (carrier == null) {
            return null;
          }
          return TRACEPARENT.equals(key) ? carrier[0] : TRACESTATE.equals(key) ? carrier[1] : null;
        }
      };

  private TraceParents() {}

  /** The headers that carry {@code span} on: what a start stores and an answer sends back. */
  public static W3cHeaders of(SpanContext span) {
    if (span == null || !span.isValid()) {
      return W3cHeaders.NONE;
    }
    String[] carrier = new String[2];
    W3C.inject(Context.root().with(Span.wrap(span)), carrier, SETTER);
    return new W3cHeaders(carrier[0], carrier[1]);
  }

  /** The context a stored trace context continues, or the root context if none was stored. */
  public static Context parent(String traceParent, String traceState) {
    if (traceParent == null) {
      return Context.root();
    }
    return W3C.extract(Context.root(), new String[] {traceParent, traceState}, GETTER);
  }

  /** The span context of a stored trace context; invalid when none or a malformed one. */
  public static SpanContext spanContext(String traceParent, String traceState) {
    return Span.fromContext(parent(traceParent, traceState)).getSpanContext();
  }

  /** The trace id of a stored traceparent, or null when there is none or it is malformed. */
  public static String traceId(String traceParent) {
    SpanContext span = spanContext(traceParent, null);
    return span.isValid() ? span.getTraceId() : null;
  }
}
