package io.flowgate.admission;

import static io.flowgate.support.Api.startPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.observability.StartLedger;
import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A burst of 2000 starts against a queue of 100 while the store is held up by a row lock: every
 * request gets 201, 429 or 503 within the request timeout; every 201 has its instance, and a key
 * without a 201 has one only if its answer said the outcome was unknown.
 */
@QuarkusTest
@TestProfile(OverloadProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class OverloadTest {

  private static final int BURST = 2000;
  private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"");

  @Inject Db db;
  @Inject Pool pool;
  @Inject StartLedger ledger;

  @TestHTTPResource("/")
  URI base;

  @Test
  void burstAgainstSlowStoreGetsOnlyDefinitiveAnswersAndNoUnaccountedInstance() throws Exception {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    // the foreign key check of every insert waits for this lock: the store is slowed for real
    SqlConnection lockHolder = pool.getConnection().await().atMost(Duration.ofSeconds(10));
    Transaction lock = lockHolder.begin().await().atMost(Duration.ofSeconds(10));
    lockHolder
        .preparedQuery("select code from project where code = $1 for update")
        .execute(Tuple.of(project))
        .await()
        .atMost(Duration.ofSeconds(10));

    Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
    Map<String, String> answerByKey = new ConcurrentHashMap<>();
    AtomicInteger transportFailures = new AtomicInteger();
    List<CompletableFuture<?>> all = new ArrayList<>();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Semaphore inFlight = new Semaphore(256);
    URI uri = base.resolve(startPath(project, workflow));
    for (int i = 0; i < BURST; i++) {
      if (i == BURST / 2) {
        await().atMost(Duration.ofSeconds(30)).until(() -> byStatus.containsKey(429));
        lock.commit().await().atMost(Duration.ofSeconds(10));
        lockHolder.close().await().atMost(Duration.ofSeconds(10));
      }
      inFlight.acquire();
      String key = "burst-" + i;
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(15))
              .header("Authorization", "Bearer " + Api.ADMIN)
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", key)
              .POST(HttpRequest.BodyPublishers.ofString("{}"))
              .build();
      all.add(
          client
              .sendAsync(request, HttpResponse.BodyHandlers.ofString())
              .whenComplete(
                  (response, failure) -> {
                    inFlight.release();
                    if (failure != null) {
                      transportFailures.incrementAndGet();
                    } else {
                      byStatus
                          .computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
                          .incrementAndGet();
                      answerByKey.put(key, answer(response));
                    }
                  }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(f -> null).join();

    assertThat(transportFailures.get()).isZero();
    assertThat(byStatus.keySet()).isSubsetOf(201, 200, 429, 503).contains(201, 429);
    int answered = byStatus.values().stream().mapToInt(AtomicInteger::get).sum();
    assertThat(answered).isEqualTo(BURST);
    Set<String> committed = committedKeys(project);
    answerByKey.forEach(
        (key, answer) -> {
          if (answer.equals("201")) {
            assertThat(committed).as("a 201 has its instance").contains(key);
          } else if (!answer.equals("503 OUTCOME_UNKNOWN")) {
            assertThat(committed).as("%s said nothing was written", answer).doesNotContain(key);
          }
        });
    assertThat(committed).hasSizeGreaterThanOrEqualTo(byStatus.get(201).get());
    await().atMost(Duration.ofSeconds(10)).until(() -> ledger.inFlight() == 0);
    assertThat(ledger.unaccounted()).isZero();
    assertThat(ledger.admittedCount())
        .isEqualTo(ledger.committedCount() + ledger.replayedCount() + ledger.failedCount());
  }

  private static String answer(HttpResponse<String> response) {
    if (response.statusCode() < 400) {
      return String.valueOf(response.statusCode());
    }
    Matcher code = CODE.matcher(response.body());
    return response.statusCode() + " " + (code.find() ? code.group(1) : "?");
  }

  private Set<String> committedKeys(long project) {
    return pool
        .preparedQuery("select idempotency_key from workflow_instance where project_code = $1")
        .execute(Tuple.of(project))
        .await()
        .atMost(Duration.ofSeconds(10))
        .stream()
        .map(row -> row.getString(0))
        .collect(Collectors.toSet());
  }
}
