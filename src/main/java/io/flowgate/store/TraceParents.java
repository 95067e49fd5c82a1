package io.flowgate.store;

/** Reads the trace id out of a stored W3C traceparent ({@code 00-traceid-spanid-flags}). */
public final class TraceParents {
  private TraceParents() {}

  public static String traceId(String traceParent) {
    if (traceParent == null || traceParent.length() < 35) {
      return null;
    }
    return traceParent.substring(3, 35);
  }
}
