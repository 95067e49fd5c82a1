package io.flowgate.dolphinscheduler;

import static io.flowgate.dolphinscheduler.DsClient.minimal;
import static io.flowgate.dolphinscheduler.DsClient.postForm;
import static io.flowgate.dolphinscheduler.DsClient.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.flowgate.observability.StartLedger;
import io.flowgate.support.Api;
import io.flowgate.support.EmbeddedPostgresResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A complement start (one transaction of several instances, outside the admission queue) is counted
 * in the start ledger like an admitted start: admitted, then settled once, so admitted = committed
 * + replayed + failed + in-flight holds for it too; a request refused before its write is not
 * admitted.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class DsComplementLedgerTest {

  @Inject StartLedger ledger;
  @Inject MeterRegistry registry;

  private record Figures(long admitted, long committed, long replayed, long failed, long live) {
    static Figures of(StartLedger l) {
      return new Figures(
          l.admittedCount(), l.committedCount(), l.replayedCount(), l.failedCount(), l.inFlight());
    }

    Figures minus(Figures o) {
      return new Figures(
          admitted - o.admitted,
          committed - o.committed,
          replayed - o.replayed,
          failed - o.failed,
          live - o.live);
    }

    boolean balanced() {
      return admitted == committed + replayed + failed + live;
    }
  }

  private Map<String, Object> complement(long workflow, String end) {
    Map<String, Object> f = with(minimal(workflow), "execType", "COMPLEMENT_DATA");
    return with(
        f,
        "scheduleTime",
        "{\"complementStartDate\":\"2024-01-01 00:00:00\",\"complementEndDate\":\"" + end + "\"}");
  }

  @Test
  void complementStartsAreAdmittedAndSettledOnceInTheLedger() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    String token = Api.token(project, "read", "start");

    Figures before = Figures.of(ledger);
    postForm(token, project, "led-1", complement(workflow, "2024-01-03 00:00:00"))
        .then()
        .statusCode(200)
        .body("code", equalTo(0));
    Figures created = Figures.of(ledger).minus(before);
    assertThat(created).isEqualTo(new Figures(1, 1, 0, 0, 0));

    // the same key and form again: a replay, settled as such
    postForm(token, project, "led-1", complement(workflow, "2024-01-03 00:00:00"))
        .then()
        .statusCode(200)
        .body("code", equalTo(0));
    assertThat(Figures.of(ledger).minus(before)).isEqualTo(new Figures(2, 1, 1, 0, 0));

    // the same key for other dates: written, refused by the store, settled as failed
    double reusedBefore = failedCount("IDEMPOTENCY_KEY_REUSED");
    postForm(token, project, "led-1", complement(workflow, "2024-01-04 00:00:00"))
        .then()
        .statusCode(200)
        .body("code", equalTo(10001));
    Figures all = Figures.of(ledger).minus(before);
    assertThat(all).isEqualTo(new Figures(3, 1, 1, 1, 0));
    assertThat(all.balanced()).isTrue();
    assertThat(failedCount("IDEMPOTENCY_KEY_REUSED")).isEqualTo(reusedBefore + 1);
  }

  @Test
  void aComplementRefusedBeforeItsWriteIsNotAdmitted() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    String token = Api.token(project, "read", "start");
    Figures before = Figures.of(ledger);
    // end before start: refused (50014) before anything is written
    postForm(token, project, "led-2", complement(workflow, "2023-12-01 00:00:00"))
        .then()
        .statusCode(200)
        .body("code", equalTo(50014));
    assertThat(Figures.of(ledger).minus(before)).isEqualTo(new Figures(0, 0, 0, 0, 0));
  }

  private double failedCount(String code) {
    var counter = registry.find("flowgate.start.failed").tag("code", code).counter();
    return counter == null ? 0 : counter.count();
  }
}
