package io.flowgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, given an OTLP endpoint, sends each start's spans over OTLP/HTTP to a receiver
 * on loopback, once: the HTTP server span, {@code flowgate.instance.create} and the batch span, in
 * the trace whose id the answer carries; and it runs one batch span processor, the exporting one.
 */
class TraceExportIT {

  /** How long the jar may take to start its embedded PostgreSQL on a busy machine. */
  static final Duration READY_WITHIN = Duration.ofSeconds(180);

  /** How long the spans of a start may take to reach the receiver (the batch delay is 200 ms). */
  static final Duration EXPORTED_WITHIN = Duration.ofSeconds(60);

  static final String ADMIN = "trace-export-admin-token";
  static final String CREATE_SPAN = "flowgate.instance.create";
  static final String BATCH_SPAN = "flowgate.store.commit_batch";
  static final String SERVER_SPAN =
      "POST /api/v1/projects/{projectCode}/workflows/{workflowCode}/instances";

  private final List<byte[]> received = new CopyOnWriteArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ObjectMapper json = new ObjectMapper();
  private HttpServer receiver;
  private Process process;
  private String base;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/v1/traces",
        exchange -> {
          try (exchange) {
            received.add(exchange.getRequestBody().readAllBytes());
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
          }
        });
    receiver.start();
    int port = freePort();
    base = "http://127.0.0.1:" + port;
    process =
        JarProcess.start(
            dir.resolve("jar.log"),
            Map.of(
                "FLOWGATE_ADMIN_TOKEN",
                ADMIN,
                "FLOWGATE_ROLES",
                "api",
                "QUARKUS_HTTP_PORT",
                String.valueOf(port),
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://127.0.0.1:" + receiver.getAddress().getPort(),
                "QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL",
                "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY",
                "200ms"));
    await()
        .atMost(READY_WITHIN)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> process.isAlive() && get("/q/health/ready").statusCode() == 200);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void aStartsSpansReachTheReceiverOnceInTheTraceOfItsAnswer() throws Exception {
    long project = post("/api/v1/projects", "{\"name\":\"trace-export\"}").get("code").asLong();
    String workflows = "/api/v1/projects/" + project + "/workflows";
    long workflow =
        post(
                workflows,
                "{\"name\":\"one-noop\",\"tasks\":[{\"code\":\"only\",\"type\":\"NOOP\"}],"
                    + "\"edges\":[]}")
            .get("code")
            .asLong();
    post(workflows + "/" + workflow + "/release", "");

    JsonNode started = post(workflows + "/" + workflow + "/instances", "{}");
    byte[] traceId = HexFormat.of().parseHex(started.get("traceId").asText());

    await()
        .atMost(EXPORTED_WITHIN)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              assertThat(occurrences(CREATE_SPAN)).isEqualTo(1);
              assertThat(occurrences(BATCH_SPAN)).isEqualTo(1);
              assertThat(occurrences(SERVER_SPAN)).isEqualTo(1);
            });
    // the trace id is in the request's spans (server and create) and in the batch span's link
    assertThat(occurrences(traceId)).isGreaterThanOrEqualTo(3);

    assertThat(batchSpanProcessorThreads())
        .as("one batch span processor: the one that exports")
        .isEqualTo(1);
  }

  private long occurrences(String text) {
    return occurrences(text.getBytes(StandardCharsets.UTF_8));
  }

  private long occurrences(byte[] needle) {
    long count = 0;
    for (byte[] body : received) {
      for (int i = 0; i + needle.length <= body.length; i++) {
        if (Arrays.equals(body, i, i + needle.length, needle, 0, needle.length)) {
          count++;
        }
      }
    }
    return count;
  }

  // thread names as Linux shows them, cut to 15 characters ("BatchSpanProcessor_WorkerThread-1")
  private long batchSpanProcessorThreads() throws IOException {
    try (Stream<Path> threads =
        Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
      return threads
          .map(thread -> thread.resolve("comm"))
          .filter(
              comm -> {
                try {
                  return Files.readString(comm).startsWith("BatchSpanProces");
                } catch (IOException gone) {
                  return false;
                }
              })
          .count();
    }
  }

  private JsonNode post(String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + ADMIN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (path.endsWith("/instances")) {
      request.header("Idempotency-Key", "trace-export-1");
    }
    HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as("%s: %s", path, answer.body()).isBetween(200, 299);
    return answer.body().isEmpty() ? json.nullNode() : json.readTree(answer.body());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
