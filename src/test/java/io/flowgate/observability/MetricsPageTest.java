package io.flowgate.observability;

import static io.flowgate.support.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.support.Api;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The metrics page after starts: each pool's gauges apart, and a histogram that fits a batch. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class MetricsPageTest {

  @Test
  void poolsAreTaggedApartAndPerConnectionGaugesAreGone() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    for (int i = 0; i < 3; i++) {
      admin().post(Api.startPath(project, workflow)).then().statusCode(201);
    }
    String metrics = metricsPage();
    for (String pool : new String[] {"flowgate-shared", "flowgate-writer"}) {
      for (String gauge :
          new String[] {"sql_pool_queue_size", "sql_pool_active", "sql_pool_idle"}) {
        assertThat(metrics).contains(gauge + "{pool_name=\"" + pool + "\"");
      }
    }
    // registered per connection under one name per pool: only one connection's was ever shown
    assertThat(metrics)
        .doesNotContain("postgresql_queue_size")
        .doesNotContain("postgresql_current");
  }

  @Test
  void batchSizeHistogramHasBucketsThatFitABatch() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    admin().post(Api.startPath(project, workflow)).then().statusCode(201);
    String[] buckets =
        Arrays.stream(metricsPage().split("\n"))
            .filter(line -> line.startsWith("flowgate_store_batch_size_bucket{"))
            .toArray(String[]::new);
    // 1, 2, 4 ... 128, the largest batch (256 by default) and +Inf; the default had 276
    assertThat(buckets).hasSizeBetween(2, 12);
    assertThat(buckets).anyMatch(line -> line.contains("le=\"+Inf\""));
    assertThat(buckets)
        .allMatch(line -> line.contains("le=\"+Inf\"") || bound(line) <= 256.0, "bounds <= 256");
  }

  private static double bound(String bucketLine) {
    String le = bucketLine.replaceAll(".*le=\"([^\"]+)\".*", "$1");
    return Double.parseDouble(le);
  }

  private static String metricsPage() {
    return RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
  }
}
