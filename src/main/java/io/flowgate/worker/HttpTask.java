package io.flowgate.worker;

import io.flowgate.definition.TaskTypes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;

/**
 * {@code HTTP {method, url, body?, expectStatus?}} with the reactive web client: succeeds when the
 * answer has {@code expectStatus} (any 2xx when none is set). The URL is checked again right before
 * the call, and its resolved addresses by {@link HttpTargetGuard}.
 */
@ApplicationScoped
public class HttpTask implements TaskPlugin {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final TaskTypes types;
  private final HttpTargetGuard guard;
  private final WebClient client;

  public HttpTask(Vertx vertx, TaskTypes types, HttpTargetGuard guard) {
    this.types = types;
    this.guard = guard;
    this.client =
        WebClient.create(
            vertx, new WebClientOptions().setFollowRedirects(false).setConnectTimeout(10_000));
  }

  @Override
  public String type() {
    return "HTTP";
  }

  @Override
  public Uni<TaskResult> run(Map<String, Object> params, Duration timeout) {
    return call(null, params, timeout);
  }

  /** Sends the attempt's {@code Idempotency-Key} so that the target can deduplicate re-runs. */
  @Override
  public Uni<TaskResult> run(ClaimedTask task, Map<String, Object> params, Duration timeout) {
    return call(task.idempotencyKey(), params, timeout);
  }

  private Uni<TaskResult> call(String key, Map<String, Object> params, Duration timeout) {
    String method = (String) params.get("method");
    String url = (String) params.get("url");
    String problem = types.targetProblem(url);
    if (problem != null) {
      return Uni.createFrom().item(TaskResult.failed(problem));
    }
    Integer expect = (Integer) params.get("expectStatus");
    String body = (String) params.get("body");
    String call = method + " " + url;
    return guard
        .problem(url, timeout)
        .flatMap(
            refused ->
                refused != null
                    ? Uni.createFrom().item(TaskResult.failed(refused))
                    : send(key, method, url, body, expect, timeout))
        .onFailure()
        .recoverWithItem(e -> TaskResult.failed(call + " failed: " + e));
  }

  private Uni<TaskResult> send(
      String key, String method, String url, String body, Integer expect, Duration timeout) {
    String call = method + " " + url;
    HttpRequest<Buffer> request =
        client.requestAbs(HttpMethod.valueOf(method), url).timeout(timeout.toMillis());
    if (key != null) {
      request.putHeader(IDEMPOTENCY_KEY, key);
    }
    return (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)))
        .map(
            response -> {
              int status = response.statusCode();
              boolean ok = expect == null ? status >= 200 && status < 300 : status == expect;
              String detail =
                  call + " answered " + status + (expect == null ? "" : ", expected " + expect);
              return ok ? TaskResult.ok(detail) : TaskResult.failed(detail);
            });
  }

  @PreDestroy
  void close() {
    client.close();
  }
}
