package io.flowgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One request whose row the store refuses does not take its batch down: the batch is split until
 * the refused request stands alone; it gets 400 and no row, every other request gets its instance.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class DataErrorIsolationTest {

  private static final String POISON = "poison-key-7c1f";
  private static final int ITEMS = 40;

  @Inject Db db;
  @Inject MeterRegistry registry;

  @AfterEach
  void dropTheRule() {
    db.execute("alter table workflow_instance drop constraint if exists refuses_poison");
  }

  @Test
  void theRefusedRequestAloneFails() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    // a rule the API does not know about, so only the store can refuse the row
    db.execute(
        "alter table workflow_instance add constraint refuses_poison"
            + " check (idempotency_key <> '"
            + POISON
            + "') not valid");

    double splitsBefore = splits();
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      String key = i == ITEMS / 2 ? POISON : "item-" + i;
      items.add(Map.of("workflowCode", workflow, "idempotencyKey", key));
    }
    JsonPath results =
        Api.admin()
            .urlEncodingEnabled(false)
            .body(Map.of("items", items))
            .post("/api/v1/projects/" + project + "/instances:batch")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    for (int i = 0; i < ITEMS; i++) {
      int status = results.getInt("results[" + i + "].status");
      if (i == ITEMS / 2) {
        assertThat(status).isEqualTo(400);
        assertThat(results.getString("results[" + i + "].code")).isEqualTo("VALIDATION_FAILED");
      } else {
        assertThat(status).as("item %d", i).isEqualTo(201);
      }
    }
    assertThat(db.instancesOf(project)).isEqualTo(ITEMS - 1);
    assertThat(
            db.count("select count(*) from workflow_instance where idempotency_key = $1", POISON))
        .isZero();
    // the refused row was isolated by splitting its batch, not by one transaction per item
    assertThat(splits() - splitsBefore).isPositive();
  }

  private double splits() {
    return registry.counter("flowgate.store.batch.splits").count();
  }
}
