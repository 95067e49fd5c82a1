package io.flowgate.definition;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The task types Flowgate offers and the rules for their params: {@code NOOP} (none), {@code WAIT}
 * ({@code seconds}), {@code HTTP} ({@code method, url, body?, expectStatus?}). HTTP targets on
 * link-local or cloud metadata addresses are refused unless allow-listed.
 */
public final class TaskTypes {

  public static final Set<String> TYPES = Set.of("NOOP", "WAIT", "HTTP");
  private static final Set<String> METHODS =
      Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
  private static final Set<String> METADATA_HOSTS =
      Set.of("metadata.google.internal", "metadata", "instance-data", "100.100.100.200");
  private static final int MAX_WAIT_SECONDS = 86_400;
  private static final int MAX_URL = 2048;
  private static final int MAX_BODY = 16_384;

  private final List<String> allowedHosts;

  /**
   * @param allowedHosts when not empty, the only hosts an HTTP task may call
   */
  public TaskTypes(List<String> allowedHosts) {
    this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  /** What is wrong with a task of this type and params, or null if nothing. */
  public String problemWith(String type, Map<String, Object> params) {
    if (type == null || !TYPES.contains(type)) {
      return "unknown task type '" + SafeText.shown(type) + "' (NOOP, WAIT, HTTP)";
    }
    Map<String, Object> p = params == null ? Map.of() : params;
    return switch (type) {
      case "NOOP" -> p.isEmpty() ? null : "NOOP takes no params";
      case "WAIT" -> waitProblem(p);
      default -> httpProblem(p);
    };
  }

  private static String waitProblem(Map<String, Object> p) {
    if (!(p.get("seconds") instanceof Integer seconds) || p.size() != 1) {
      return "WAIT takes exactly {seconds: integer}";
    }
    if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
      return "WAIT seconds must be between 0 and " + MAX_WAIT_SECONDS;
    }
    return null;
  }

  private String httpProblem(Map<String, Object> p) {
    for (String key : p.keySet()) {
      if (!Set.of("method", "url", "body", "expectStatus").contains(key)) {
        return "HTTP has no param '" + SafeText.shown(key) + "'";
      }
    }
    if (!(p.get("method") instanceof String method) || !METHODS.contains(method)) {
      return "HTTP method must be one of " + METHODS;
    }
    if (!(p.get("url") instanceof String url) || url.length() > MAX_URL) {
      return "HTTP url must be a string of at most " + MAX_URL + " characters";
    }
    Object body = p.get("body");
    if (body != null && (!(body instanceof String text) || text.length() > MAX_BODY)) {
      return "HTTP body must be a string of at most " + MAX_BODY + " characters";
    }
    Object expect = p.get("expectStatus");
    if (expect != null && (!(expect instanceof Integer status) || status < 100 || status > 599)) {
      return "HTTP expectStatus must be an integer between 100 and 599";
    }
    return targetProblem(url);
  }

  /** Whether an HTTP task may call this URL; null if it may. */
  public String targetProblem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "HTTP url is not a valid URI";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "HTTP url must be http or https";
    }
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      return "HTTP url needs a host";
    }
    host = host.toLowerCase(Locale.ROOT);
    if (!allowedHosts.isEmpty()) {
      return allowedHosts.contains(host) ? null : "HTTP host '" + host + "' is not allow-listed";
    }
    if (METADATA_HOSTS.contains(host) || isLinkLocal(host)) {
      return "HTTP host '" + host + "' is link-local or a metadata address";
    }
    return null;
  }

  private static boolean isLinkLocal(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return h.startsWith("169.254.") || h.startsWith("fe80:") || h.equals("fd00:ec2::254");
  }
}
