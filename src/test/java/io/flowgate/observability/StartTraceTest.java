package io.flowgate.observability;

import static io.flowgate.support.Api.admin;
import static io.flowgate.support.Api.startPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.support.Api;
import io.flowgate.support.EmbeddedPostgresResource;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class StartTraceTest {

  private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN = "00f067aa0ba902b7";

  @Inject InMemorySpanExporter spans;

  long project;
  long workflow;

  @BeforeEach
  void setUp() {
    project = Api.project();
    workflow = Api.releasedWorkflow(project);
    spans.reset();
  }

  @Test
  void oneStartIsOneTraceFromRequestToCommit() {
    Response response =
        admin().header("Idempotency-Key", "traced-1").post(startPath(project, workflow));
    response.then().statusCode(201);
    String traceId = response.jsonPath().getString("traceId");

    SpanData server = awaitSpan(traceId, s -> s.getKind() == SpanKind.SERVER);
    SpanData wait = awaitSpan(traceId, s -> s.getName().equals("flowgate.admission.wait"));
    SpanData create = awaitSpan(traceId, s -> s.getName().equals("flowgate.instance.create"));
    SpanData commit = awaitLinkedCommit(server);

    assertThat(response.header("traceparent")).contains(traceId);
    assertThat(wait.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(create.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(create.getAttributes().get(SpanNames.OUTCOME)).isEqualTo("CREATED");
    assertThat(create.getAttributes().get(SpanNames.INSTANCE))
        .isEqualTo(response.jsonPath().getLong("instanceId"));
    assertThat(create.getAttributes().get(SpanNames.IDEMPOTENCY_KEY)).isEqualTo("traced-1");
    assertThat(commit.getAttributes().get(SpanNames.BATCH_SIZE)).isGreaterThanOrEqualTo(1L);
  }

  @Test
  void theRequestsOwnTraceShowsItsPartInTheCommit() {
    Response response =
        admin().header("Idempotency-Key", "traced-commit").post(startPath(project, workflow));
    response.then().statusCode(201);
    String traceId = response.jsonPath().getString("traceId");

    SpanData server = awaitSpan(traceId, s -> s.getKind() == SpanKind.SERVER);
    SpanData part = awaitSpan(traceId, s -> s.getName().equals("flowgate.store.commit"));
    SpanData batch = awaitLinkedCommit(server);

    assertThat(part.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(part.getLinks()).hasSize(1);
    assertThat(part.getLinks().get(0).getSpanContext()).isEqualTo(batch.getSpanContext());
    assertThat(part.getAttributes().get(SpanNames.BATCH_ID))
        .isEqualTo(batch.getAttributes().get(SpanNames.BATCH_ID))
        .isNotNull();
    assertThat(part.getAttributes().get(SpanNames.BATCH_SIZE))
        .isEqualTo(batch.getAttributes().get(SpanNames.BATCH_SIZE))
        .isGreaterThanOrEqualTo(1L);
    assertThat(part.getAttributes().get(SpanNames.COMMIT_MILLIS))
        .isEqualTo(batch.getAttributes().get(SpanNames.COMMIT_MILLIS))
        .isNotNull();
    assertThat(part.getStartEpochNanos()).isEqualTo(batch.getStartEpochNanos());
    assertThat(part.getEndEpochNanos()).isEqualTo(batch.getEndEpochNanos());
    assertThat(part.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    // the commit happened before the answer: inside the request's own span
    assertThat(part.getEndEpochNanos()).isLessThanOrEqualTo(server.getEndEpochNanos());
    // the batch's SQL is not told as if it were this request's own
    assertThat(spans.getFinishedSpanItems())
        .filteredOn(s -> s.getTraceId().equals(traceId))
        .noneMatch(StartTraceTest::isDatabaseCall);
  }

  private static boolean isDatabaseCall(SpanData span) {
    return span.getAttributes().asMap().keySet().stream()
        .anyMatch(k -> k.getKey().startsWith("db."));
  }

  @Test
  void clientTraceparentIsContinued() {
    Response response =
        admin()
            .header("traceparent", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01")
            .post(startPath(project, workflow));
    response.then().statusCode(201);

    assertThat(response.jsonPath().getString("traceId")).isEqualTo(CLIENT_TRACE);
    SpanData server = awaitSpan(CLIENT_TRACE, s -> s.getKind() == SpanKind.SERVER);
    assertThat(server.getParentSpanId()).isEqualTo(CLIENT_SPAN);
  }

  @Test
  void errorAnswersCarryTraceIdAndTraceparent() {
    Response response =
        admin().header("Idempotency-Key", "bad key with spaces").post(startPath(project, workflow));
    response.then().statusCode(400);
    String traceId = response.jsonPath().getString("traceId");
    assertThat(traceId).hasSize(32);
    assertThat(response.header("traceparent")).contains(traceId);
  }

  private SpanData awaitSpan(String traceId, java.util.function.Predicate<SpanData> match) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> find(traceId, match), Optional::isPresent)
        .orElseThrow();
  }

  private Optional<SpanData> find(String traceId, java.util.function.Predicate<SpanData> match) {
    List<SpanData> finished = spans.getFinishedSpanItems();
    return finished.stream().filter(s -> s.getTraceId().equals(traceId)).filter(match).findFirst();
  }

  private SpanData awaitLinkedCommit(SpanData server) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals("flowgate.store.commit_batch"))
                    .filter(s -> linksTo(s, server))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  private static boolean linksTo(SpanData span, SpanData target) {
    for (LinkData link : span.getLinks()) {
      if (link.getSpanContext().getSpanId().equals(target.getSpanId())
          && link.getSpanContext().getTraceId().equals(target.getTraceId())) {
        return true;
      }
    }
    return false;
  }
}
