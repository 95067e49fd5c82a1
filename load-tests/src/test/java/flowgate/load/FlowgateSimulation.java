package flowgate.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shared plumbing of every Flowgate simulation.
 *
 * <p>Common parameters (system properties, defaults in brackets):
 *
 * <ul>
 *   <li>flowgate.baseUrl [http://127.0.0.1:8080] - the service; must be a loopback address
 *   <li>flowgate.adminToken [bench-admin] - admin bearer token (FLOWGATE_ADMIN_TOKEN of the service)
 *   <li>flowgate.project / flowgate.workflow [created] - codes of an existing released workflow;
 *       when absent a fresh project and a released one-task NOOP workflow are created, so the
 *       audit can compare the whole project with the record
 *   <li>flowgate.record [target/records/SIMULATION-TIMESTAMP.jsonl] - where every sent key and every
 *       answer are written, one JSON object a line (the first line is a meta line)
 *   <li>flowgate.requestTimeoutMs [15000] - answers slower than this are recorded as TIMEOUT (keep
 *       it equal to gatling.http.requestTimeout)
 *   <li>flowgate.maxAttempts [6] - retrying scenarios: attempts per key, first one included
 *   <li>flowgate.maxRetryAfterS [5] - retrying scenarios: cap on an honoured Retry-After
 *   <li>flowgate.maxConnections [512] - open-model scenarios: connections of the shared pool
 * </ul>
 *
 * <p>Before each attempt a line {t, key, a, sent:true, ep} is written; after it, the answer line.
 * Answer line fields: t (send time, epoch ms), key, a (attempt), st (HTTP status, 0 = no
 * answer), code (problem code, DolphinScheduler code, NO_ANSWER kind, or empty), id (instance id
 * from the answer), rt (ms from send to answer), ra (Retry-After seconds), ep (endpoint).
 */
public abstract class FlowgateSimulation extends Simulation {

  protected static final String BASE_URL = prop("flowgate.baseUrl", "http://127.0.0.1:8080");
  protected static final String ADMIN_TOKEN = prop("flowgate.adminToken", "bench-admin");
  protected static final long REQUEST_TIMEOUT_MS = Long.parseLong(prop("flowgate.requestTimeoutMs", "15000"));
  protected static final int MAX_ATTEMPTS = Integer.parseInt(prop("flowgate.maxAttempts", "6"));
  protected static final int MAX_CONNECTIONS = Integer.parseInt(prop("flowgate.maxConnections", "512"));
  protected static final int MAX_RETRY_AFTER_S = Integer.parseInt(prop("flowgate.maxRetryAfterS", "5"));

  private static final Pattern INSTANCE_ID = Pattern.compile("\"instanceId\"\\s*:\\s*(\\d+)");
  private static final Pattern PROBLEM_CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"");
  private static final Pattern DOLPHIN_CODE = Pattern.compile("\"code\"\\s*:\\s*(-?\\d+)");
  private static final Pattern DOLPHIN_DATA = Pattern.compile("\"data\"\\s*:\\s*(\\d+)");
  private static final Pattern CODE_NUMBER = Pattern.compile("\"code\"\\s*:\\s*(\\d+)");

  protected final long projectCode;
  protected final long workflowCode;
  protected final String runId;
  private final AtomicLong keySeq = new AtomicLong();
  private final BufferedWriter record;
  private final Path recordPath;

  protected FlowgateSimulation() {
    requireLoopback(BASE_URL);
    runId = getClass().getSimpleName() + "-" + Long.toString(System.currentTimeMillis(), 36);
    String p = System.getProperty("flowgate.project");
    String w = System.getProperty("flowgate.workflow");
    if (p != null && w != null) {
      projectCode = Long.parseLong(p);
      workflowCode = Long.parseLong(w);
    } else {
      long[] codes = createReleasedWorkflow(runId);
      projectCode = codes[0];
      workflowCode = codes[1];
    }
    recordPath =
        Path.of(prop("flowgate.record", "target/records/" + runId + ".jsonl")).toAbsolutePath();
    try {
      Files.createDirectories(recordPath.getParent());
      record = Files.newBufferedWriter(recordPath, StandardCharsets.UTF_8);
      record.write(
          String.format(
              "{\"meta\":true,\"simulation\":\"%s\",\"runId\":\"%s\",\"project\":%d,\"workflow\":%d,"
                  + "\"target\":\"%s\",\"baseUrl\":\"%s\",\"started\":%d}%n",
              getClass().getSimpleName(), runId, projectCode, workflowCode, target(), BASE_URL,
              System.currentTimeMillis()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("flowgate: project=" + projectCode + " workflow=" + workflowCode
        + " record=" + recordPath);
  }

  /** What the simulation hits: start, echo or dolphin (written to the meta line). */
  protected String target() {
    return "start";
  }

  @Override
  public void after() {
    synchronized (record) {
      try {
        record.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    System.out.println("flowgate: record written to " + recordPath);
  }

  // ---------------------------------------------------------------- assertions

  /**
   * What every run must show for Gatling to pass it (the plugin then fails the build, so a failed
   * run exits non-zero): it sent requests and got answers. Correctness is the audit's job.
   */
  protected static Assertion answered() {
    return global().allRequests().count().gt(0L);
  }

  /**
   * For a run below saturation: at least {@code flowgate.minSuccessPercent} (99) percent of the
   * requests succeeded, overridable for a known-slow machine.
   */
  protected static Assertion mostlySucceeded() {
    return global().successfulRequests().percent().gte(doubleProp("flowgate.minSuccessPercent", 99.0));
  }

  // ---------------------------------------------------------------- parameters

  protected static String prop(String name, String def) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? def : v;
  }

  protected static int intProp(String name, int def) {
    return Integer.parseInt(prop(name, Integer.toString(def)));
  }

  protected static double doubleProp(String name, double def) {
    return Double.parseDouble(prop(name, Double.toString(def)));
  }

  /** Durations are seconds. */
  protected static Duration secondsProp(String name, int def) {
    return Duration.ofSeconds(intProp(name, def));
  }

  static void requireLoopback(String url) {
    String host = URI.create(url).getHost();
    try {
      if (host == null || !InetAddress.getByName(host).isLoopbackAddress()) {
        throw new IllegalArgumentException(
            "flowgate.baseUrl must point at a loopback address (127.0.0.0/8, localhost, [::1]): " + url);
      }
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("unknown host in " + url, e);
    }
  }

  // ---------------------------------------------------------------- set-up

  private static long[] createReleasedWorkflow(String name) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long project = code(post(client, "/api/v1/projects", "{\"name\":\"" + name + "\"}"));
    long workflow =
        code(post(client, "/api/v1/projects/" + project + "/workflows",
            "{\"name\":\"bench\",\"tasks\":[{\"code\":\"a\",\"type\":\"NOOP\"}],\"edges\":[]}"));
    post(client, "/api/v1/projects/" + project + "/workflows/" + workflow + "/release", null);
    return new long[] {project, workflow};
  }

  private static String post(HttpClient client, String path, String json) {
    for (int attempt = 1; ; attempt++) {
      try {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE_URL + path))
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", "Bearer " + ADMIN_TOKEN);
        b = json == null ? b.POST(HttpRequest.BodyPublishers.noBody())
            : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 == 2) {
          return r.body();
        }
        throw new IllegalStateException("set-up " + path + " answered " + r.statusCode() + " " + r.body());
      } catch (IOException | InterruptedException e) {
        if (attempt >= 30) {
          throw new IllegalStateException("set-up " + path + " failed", e);
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(ie);
        }
      }
    }
  }

  private static long code(String body) {
    Matcher m = CODE_NUMBER.matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("no code in " + body);
    }
    return Long.parseLong(m.group(1));
  }

  // ---------------------------------------------------------------- HTTP

  /**
   * Open-model scenarios share one connection pool (a virtual user is one request chain), bounded
   * by flowgate.maxConnections: without a bound, an open model past saturation opens a connection
   * per waiting request until the client and the service run out of file descriptors; with it,
   * excess arrivals wait in the client and their wait counts in their latency.
   */
  protected HttpProtocolBuilder protocol() {
    return closedProtocol().shareConnections().maxConnectionsPerHost(MAX_CONNECTIONS);
  }

  /** Closed-model scenarios: each client keeps its own keep-alive connection. */
  protected HttpProtocolBuilder closedProtocol() {
    return http.baseUrl(BASE_URL)
        .acceptHeader("application/json")
        .userAgentHeader("flowgate-load")
        .disableCaching();
  }

  protected String startPath() {
    return "/api/v1/projects/" + projectCode + "/workflows/" + workflowCode + "/instances";
  }

  protected String newKey() {
    return runId + "-" + keySeq.incrementAndGet();
  }

  /** The native start request for the session's "key" (same body on every attempt). */
  protected HttpRequestActionBuilder startRequest() {
    String path = startPath();
    return http("start")
        .post(path)
        .header("Authorization", "Bearer " + ADMIN_TOKEN)
        .header("Idempotency-Key", "#{key}")
        .body(StringBody("{\"params\":{\"key\":\"#{key}\"}}"))
        .asJson()
        .check(answerChecks())
        .check(status().in(200, 201));
  }

  /** POST /bench/echo: the same stack without the database. */
  protected HttpRequestActionBuilder echoRequest() {
    return http("echo")
        .post("/bench/echo")
        .header("Authorization", "Bearer " + ADMIN_TOKEN)
        .header("Idempotency-Key", "#{key}")
        .body(StringBody("{\"params\":{\"key\":\"#{key}\"}}"))
        .asJson()
        .check(answerChecks())
        .check(status().in(200, 201));
  }

  /** The DolphinScheduler-compatible form start with a {@code token} header. */
  protected HttpRequestActionBuilder dolphinRequest() {
    return http("dolphin-start")
        .post("/dolphinscheduler/projects/" + projectCode + "/executors/start-process-instance")
        .header("token", ADMIN_TOKEN)
        .header("Idempotency-Key", "#{key}")
        .formParam("processDefinitionCode", Long.toString(workflowCode))
        // DS requires scheduleTime, failureStrategy and warningType (ExecutorController 3.2.2)
        .formParam("scheduleTime", "")
        .formParam("failureStrategy", "END")
        .formParam("warningType", "NONE")
        .formParam("processInstancePriority", "MEDIUM")
        .formParam("startParams", "{\"key\":\"#{key}\"}")
        .check(answerChecks())
        .check(status().is(200), jsonPath("$.code").is("0"));
  }

  private static io.gatling.javaapi.core.CheckBuilder[] answerChecks() {
    return new io.gatling.javaapi.core.CheckBuilder[] {
      status().saveAs("st"),
      bodyString().saveAs("body"),
      header("Retry-After").optional().saveAs("ra"),
      responseTimeInMillis().saveAs("rt")
    };
  }

  // ---------------------------------------------------------------- chains

  /** One attempt: stamp, send, record. Leaves "retry" (boolean) and "pauseMs" in the session. */
  protected ChainBuilder attempt(HttpRequestActionBuilder request, String endpoint) {
    return exec(s -> recordSent(s.set("t0", System.currentTimeMillis())
            .set("attempt", s.contains("attempt") ? s.getInt("attempt") + 1 : 1), endpoint))
        .exec(request)
        .exec(s -> recordAnswer(s, endpoint));
  }

  /** A single-shot start with a fresh key. */
  protected ChainBuilder oneShot(HttpRequestActionBuilder request, String endpoint) {
    return exec(s -> s.remove("attempt").set("key", newKey())).exec(attempt(request, endpoint));
  }

  /**
   * A client that retries 429, 503 and unanswered requests with the same key, honouring
   * Retry-After (capped at flowgate.maxRetryAfterS, plus up to 250 ms of jitter), at most
   * flowgate.maxAttempts attempts.
   */
  protected ChainBuilder retrying(HttpRequestActionBuilder request, String endpoint) {
    return exec(s -> s.remove("attempt").set("key", newKey()).set("retry", true))
        .asLongAs(s -> s.getBoolean("retry"))
        .on(
            exec(attempt(request, endpoint))
                .doIf(s -> s.getBoolean("retry"))
                .then(pause(s -> Duration.ofMillis(s.getLong("pauseMs")))));
  }

  /** A "sent" line before each attempt: a key sent whose answer never got recorded is visible. */
  private Session recordSent(Session s, String endpoint) {
    write(String.format("{\"t\":%d,\"key\":\"%s\",\"a\":%d,\"sent\":true,\"ep\":\"%s\"}%n",
        s.getLong("t0"), s.getString("key"), s.getInt("attempt"), endpoint));
    return s;
  }

  private void write(String line) {
    synchronized (record) {
      try {
        record.write(line);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private Session recordAnswer(Session s, String endpoint) {
    long t0 = s.getLong("t0");
    long now = System.currentTimeMillis();
    int attempt = s.getInt("attempt");
    boolean answered = s.contains("st");
    int st = answered ? s.getInt("st") : 0;
    String body = answered && s.contains("body") ? s.getString("body") : "";
    String code = "";
    String id = "";
    if (!answered) {
      code = now - t0 >= REQUEST_TIMEOUT_MS - 250 ? "TIMEOUT" : "NO_ANSWER";
    } else if ("dolphin".equals(endpoint)) {
      Matcher c = DOLPHIN_CODE.matcher(body);
      code = c.find() ? c.group(1) : "";
      Matcher d = DOLPHIN_DATA.matcher(body);
      id = "0".equals(code) && d.find() ? d.group(1) : "";
    } else {
      Matcher c = PROBLEM_CODE.matcher(body);
      code = st >= 400 && c.find() ? c.group(1) : "";
      Matcher i = INSTANCE_ID.matcher(body);
      id = st / 100 == 2 && i.find() ? i.group(1) : "";
    }
    long rt = answered && s.contains("rt") ? s.getLong("rt") : now - t0;
    String ra = s.contains("ra") ? s.getString("ra") : "";
    String line = String.format(
        "{\"t\":%d,\"key\":\"%s\",\"a\":%d,\"st\":%d,\"code\":\"%s\",\"id\":\"%s\",\"rt\":%d,\"ra\":\"%s\",\"ep\":\"%s\"}%n",
        t0, s.getString("key"), attempt, st, code, id, rt, ra, endpoint);
    write(line);
    boolean retryable = st == 0 || st == 429 || st == 503;
    boolean retry = retryable && attempt < MAX_ATTEMPTS;
    long pauseMs = 0;
    if (retry) {
      long raSeconds = 1;
      try {
        raSeconds = ra.isEmpty() ? Math.min(attempt, MAX_RETRY_AFTER_S) : Long.parseLong(ra.trim());
      } catch (NumberFormatException e) {
        raSeconds = 1;
      }
      pauseMs = Math.min(Math.max(raSeconds, 0), MAX_RETRY_AFTER_S) * 1000L
          + ThreadLocalRandom.current().nextLong(250);
    }
    return s.removeAll("st", "body", "ra", "rt")
        .set("retry", retry)
        .set("pauseMs", pauseMs)
        .markAsSucceeded();
  }

  protected static String now() {
    return Instant.now().toString();
  }
}
