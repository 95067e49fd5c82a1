package io.flowgate.dolphinscheduler;

import io.flowgate.store.FailureStrategy;
import io.flowgate.store.Priority;
import io.flowgate.store.StartCommand;
import io.flowgate.store.StartOptions;
import io.flowgate.store.TraceParents;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Start commands of the multi-instance path, with a fingerprint of the whole DS request. */
final class DsCommands {

  private DsCommands() {}

  static StartCommand of(
      long projectCode,
      int version,
      String key,
      boolean generated,
      DsStart s,
      LocalDateTime scheduleTime,
      String requestFingerprint) {
    SpanContext span = Span.current().getSpanContext();
    TraceParents.W3cHeaders trace = TraceParents.of(span);
    return new StartCommand(
        UUID.randomUUID(),
        projectCode,
        s.processDefinitionCode(),
        version,
        key,
        generated,
        requestFingerprint,
        new StartOptions(
            s.startParams(),
            priority(s),
            FailureStrategy.valueOf(s.failureStrategy()),
            scheduleTime == null ? null : scheduleTime.atOffset(ZoneOffset.UTC),
            s.workerGroup(),
            s.dryRun() == 1),
        trace.traceParent(),
        trace.traceState(),
        span,
        null);
  }

  static Priority priority(DsStart s) {
    return s.processInstancePriority() == null
        ? Priority.MEDIUM
        : Priority.valueOf(s.processInstancePriority());
  }

  /** A digest of everything the request asks for; the same request again has the same one. */
  static String fingerprint(DsStart s, int version, String dates) {
    StringBuilder c = new StringBuilder("ds|");
    c.append(s.processDefinitionCode()).append('|').append(version).append('|');
    c.append(s.failureStrategy()).append('|').append(s.startNodes()).append('|');
    c.append(s.taskDependType()).append('|').append(s.execType()).append('|');
    c.append(s.runMode()).append('|').append(priority(s)).append('|');
    c.append(s.workerGroup()).append('|').append(s.expectedParallelismNumber()).append('|');
    c.append(s.dryRun()).append('|').append(s.testFlag()).append('|');
    c.append(s.executionOrder()).append('|').append(dates);
    new TreeMap<>(s.startParams() == null ? Map.<String, String>of() : s.startParams())
        .forEach(
            (k, v) ->
                c.append('|')
                    .append(k.length())
                    .append(':')
                    .append(k)
                    .append('=')
                    .append(v.length())
                    .append(':')
                    .append(v));
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(c.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
