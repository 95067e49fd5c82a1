package io.flowgate.api;

import io.flowgate.store.FailureStrategy;
import io.flowgate.store.Priority;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A digest of what a start asks for, independent of JSON formatting and key order. The current form
 * ({@code v2:} + SHA-256) encodes every field with its length, so no value can imitate a separator.
 * Rows written before it carry the legacy form, in which {@code workerGroup} had no length; they
 * are compared with the legacy digest so that they keep replaying.
 */
final class RequestFingerprint {

  static final String VERSION = "v2:";
  private static final HexFormat HEX = HexFormat.of();
  // cloned per digest: a provider lookup (MessageDigest.getInstance) per request costs more than
  // the digest of a start's few dozen bytes
  private static final MessageDigest SHA_256 = sha256Prototype();

  private RequestFingerprint() {}

  /** The digest stored with new rows. */
  static String of(
      long workflowCode,
      Priority priority,
      FailureStrategy strategy,
      Map<String, String> params,
      OffsetDateTime scheduleTime,
      String workerGroup,
      boolean dryRun) {
    StringBuilder canonical = new StringBuilder();
    field(canonical, Long.toString(workflowCode));
    field(canonical, priority.name());
    field(canonical, strategy.name());
    field(canonical, scheduleTime == null ? null : scheduleTime.toInstant().toString());
    field(canonical, workerGroup);
    field(canonical, Boolean.toString(dryRun));
    canonical.append(params.size()).append('#');
    sorted(params)
        .forEach(
            (k, v) -> {
              field(canonical, k);
              field(canonical, v);
            });
    return VERSION + sha256(canonical.toString());
  }

  // a value as its length, a colon and the value; an absent value as "-"
  private static void field(StringBuilder out, String value) {
    if (value == null) {
      out.append('-');
    } else {
      out.append(value.length()).append(':').append(value);
    }
  }

  /** The digest of rows written before {@link #VERSION}; ambiguous, kept for those rows only. */
  static String legacy(
      long workflowCode,
      Priority priority,
      FailureStrategy strategy,
      Map<String, String> params,
      OffsetDateTime scheduleTime,
      String workerGroup,
      boolean dryRun) {
    StringBuilder canonical = new StringBuilder();
    canonical
        .append(workflowCode)
        .append('|')
        .append(priority)
        .append('|')
        .append(strategy)
        .append('|')
        .append(scheduleTime == null ? "" : scheduleTime.toInstant())
        .append('|')
        .append(workerGroup == null ? "" : workerGroup)
        .append('|')
        .append(dryRun);
    sorted(params)
        .forEach(
            (k, v) ->
                canonical
                    .append('|')
                    .append(k.length())
                    .append(':')
                    .append(k)
                    .append('=')
                    .append(v.length())
                    .append(':')
                    .append(v));
    return sha256(canonical.toString());
  }

  // key order decides the digest; no copy when there is no order to impose
  private static Map<String, String> sorted(Map<String, String> params) {
    return params.size() < 2 ? params : new TreeMap<>(params);
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = (MessageDigest) SHA_256.clone();
      return HEX.formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MessageDigest sha256Prototype() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
