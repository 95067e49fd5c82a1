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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A burst of 2000 starts against a queue of 100 while the store is held up by a row lock: every
 * request gets 201, 429 or 503 within the request timeout, and the instances in the database are
 * exactly the 201s.
 */
@QuarkusTest
@TestProfile(OverloadProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class OverloadTest {

  private static final int BURST = 2000;

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
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(15))
              .header("Authorization", "Bearer " + Api.ADMIN)
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", "burst-" + i)
              .POST(HttpRequest.BodyPublishers.ofString("{}"))
              .build();
      all.add(
          client
              .sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (response, failure) -> {
                    inFlight.release();
                    if (failure != null) {
                      transportFailures.incrementAndGet();
                    } else {
                      byStatus
                          .computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
                          .incrementAndGet();
                    }
                  }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(f -> null).join();

    assertThat(transportFailures.get()).isZero();
    assertThat(byStatus.keySet()).isSubsetOf(201, 200, 429, 503).contains(201, 429);
    int answered = byStatus.values().stream().mapToInt(AtomicInteger::get).sum();
    assertThat(answered).isEqualTo(BURST);
    assertThat(db.instancesOf(project)).isEqualTo(byStatus.get(201).get());
    await().atMost(Duration.ofSeconds(10)).until(() -> ledger.inFlight() == 0);
    assertThat(ledger.unaccounted()).isZero();
    assertThat(ledger.admittedCount())
        .isEqualTo(ledger.committedCount() + ledger.replayedCount() + ledger.failedCount());
  }
}
