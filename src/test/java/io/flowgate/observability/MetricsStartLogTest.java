package io.flowgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.store.BoundedPools;
import io.flowgate.support.EmbeddedPostgresResource;
import io.flowgate.support.MicrometerLogResource;
import io.flowgate.support.WarnLogCapture;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A start, and pools opening further connections, leave Micrometer nothing to warn about: the SQL
 * client registers its per-connection gauges once per connection, and none of them may meet an
 * earlier registration ("This Gauge has been already registered").
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MicrometerLogResource.class)
class MetricsStartLogTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Opened before the application started, by {@link MicrometerLogResource}. */
  WarnLogCapture micrometerLog;

  @Inject Pool shared;

  @Inject
  @ReactiveDataSource(BoundedPools.WRITER)
  Pool writer;

  @Test
  void startAndNewConnectionsLogNoGaugeRegisteredTwice() {
    holdTwoConnections(shared);
    holdTwoConnections(writer);

    // only the SQL client's gauges: in a test JVM the global registry outlives an application
    // restart, so a restarted application meets its own earlier JVM and pool gauges (never in
    // production, one start per process)
    assertThat(micrometerLog.lines())
        .noneMatch(line -> line.contains("already registered") && line.contains("'postgresql."));
    assertThat(micrometerLog.warnings()).noneMatch(line -> line.contains("'postgresql."));
    String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("sql_pool_active{pool_name=\"flowgate-shared\"")
        .contains("sql_pool_active{pool_name=\"flowgate-writer\"")
        .doesNotContain("postgresql_queue_size")
        .doesNotContain("postgresql_current");
  }

  /** Two connections at once: the second is a new one unless the pool had one idle. */
  private static void holdTwoConnections(Pool pool) {
    SqlConnection first = pool.getConnection().await().atMost(WAIT);
    SqlConnection second = pool.getConnection().await().atMost(WAIT);
    second.close().await().atMost(WAIT);
    first.close().await().atMost(WAIT);
  }
}
