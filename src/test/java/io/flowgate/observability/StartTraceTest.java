package io.flowgate.observability;

import static io.flowgate.support.Api.admin;
import static io.flowgate.support.Api.startPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.support.Api;
import io.flowgate.support.EmbeddedPostgresResource;
import io.opentelemetry.api.trace.SpanContext;
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
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class StartTraceTest {

  private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN = "00f067aa0ba902b7";

  private static final Set<String> ENGINE_SPANS =
      Set.of(
          SpanNames.MASTER_CLAIM,
          SpanNames.TASK_DISPATCH,
          SpanNames.TASK_EXECUTE,
          SpanNames.INSTANCE_COMPLETE);

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
    SpanData create = awaitSpan(traceId, s -> s.getName().equals(SpanNames.INSTANCE_CREATE));
    SpanData commit = awaitLinkedBatch(create);

    assertThat(response.header("traceparent")).contains(traceId);
    assertThat(create.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(create.getAttributes().get(SpanNames.OUTCOME)).isEqualTo("CREATED");
    assertThat(create.getAttributes().get(SpanNames.INSTANCE))
        .isEqualTo(response.jsonPath().getLong("instanceId"));
    assertThat(create.getAttributes().get(SpanNames.IDEMPOTENCY_KEY)).isEqualTo("traced-1");
    assertThat(create.getAttributes().get(SpanNames.PROJECT)).isEqualTo(project);
    assertThat(create.getAttributes().get(SpanNames.WORKFLOW)).isEqualTo(workflow);
    // the queue wait is an attribute of the create span, no longer a span of its own
    assertThat(create.getAttributes().get(SpanNames.PRIORITY)).isEqualTo("MEDIUM");
    assertThat(create.getAttributes().get(SpanNames.WAIT_MILLIS)).isNotNull().isNotNegative();
    assertThat(commit.getAttributes().get(SpanNames.BATCH_SIZE)).isGreaterThanOrEqualTo(1L);
    // two spans of its own per start: the server span and flowgate.instance.create
    assertThat(startPathSpans(traceId))
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder(server.getName(), SpanNames.INSTANCE_CREATE);
  }

  @Test
  void theRequestsOwnTraceShowsItsPartInTheCommit() {
    Response response =
        admin().header("Idempotency-Key", "traced-commit").post(startPath(project, workflow));
    response.then().statusCode(201);
    String traceId = response.jsonPath().getString("traceId");

    SpanData server = awaitSpan(traceId, s -> s.getKind() == SpanKind.SERVER);
    SpanData create = awaitSpan(traceId, s -> s.getName().equals(SpanNames.INSTANCE_CREATE));
    SpanData batch = awaitLinkedBatch(create);

    // the commit is told on the request's own create span, which links to the batch span once
    assertThat(create.getLinks()).hasSize(1);
    assertThat(create.getLinks().get(0).getSpanContext()).isEqualTo(batch.getSpanContext());
    assertThat(create.getAttributes().get(SpanNames.BATCH_ID))
        .isEqualTo(batch.getAttributes().get(SpanNames.BATCH_ID))
        .isNotNull();
    // the attempt's size, number and commit time are told once, on the linked batch span
    assertThat(batch.getAttributes().get(SpanNames.BATCH_SIZE)).isGreaterThanOrEqualTo(1L);
    assertThat(batch.getAttributes().get(SpanNames.ATTEMPT)).isEqualTo(1L);
    assertThat(batch.getAttributes().get(SpanNames.COMMIT_MILLIS)).isNotNull();
    assertThat(create.getAttributes().get(SpanNames.BATCH_SIZE)).isNull();
    assertThat(create.getAttributes().get(SpanNames.ATTEMPT)).isNull();
    assertThat(create.getAttributes().get(SpanNames.COMMIT_MILLIS)).isNull();
    assertThat(create.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(create.getEvents()).isEmpty();
    // the batch is a root of its own trace and links back to every request it served, this one
    // included
    assertThat(batch.getTraceId()).isNotEqualTo(traceId);
    assertThat(batch.getParentSpanContext().isValid()).isFalse();
    assertThat(batch.getLinks())
        .extracting(LinkData::getSpanContext)
        .contains(create.getSpanContext())
        .hasSize(batch.getAttributes().get(SpanNames.BATCH_SIZE).intValue());
    assertThat(batch.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    // the commit happened before the answer: inside the request's own spans
    assertThat(batch.getStartEpochNanos()).isGreaterThanOrEqualTo(create.getStartEpochNanos());
    assertThat(batch.getEndEpochNanos()).isLessThanOrEqualTo(create.getEndEpochNanos());
    assertThat(create.getEndEpochNanos()).isLessThanOrEqualTo(server.getEndEpochNanos());
    // no span per request and attempt, no queue wait span
    assertThat(spans.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .doesNotContain("flowgate.store.commit", "flowgate.admission.wait");
    // the batch's SQL is not told as if it were this request's own
    assertThat(spans.getFinishedSpanItems())
        .filteredOn(s -> s.getTraceId().equals(traceId))
        .noneMatch(StartTraceTest::isDatabaseCall);
  }

  // the spans of a start's trace recorded on the api path, leaving out the engine's later ones
  private List<SpanData> startPathSpans(String traceId) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getTraceId().equals(traceId))
        .filter(s -> !ENGINE_SPANS.contains(s.getName()))
        .toList();
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

  // the batch span the create span links to; the batch ends before the create span does
  private SpanData awaitLinkedBatch(SpanData create) {
    assertThat(create.getLinks()).hasSize(1);
    SpanContext batch = create.getLinks().get(0).getSpanContext();
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals(SpanNames.COMMIT_BATCH))
                    .filter(s -> s.getSpanContext().equals(batch))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }
}
