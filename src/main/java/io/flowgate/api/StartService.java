package io.flowgate.api;

import io.flowgate.admission.StartAdmission;
import io.flowgate.config.RequestConfig;
import io.flowgate.definition.DefinitionCache;
import io.flowgate.definition.SafeText;
import io.flowgate.observability.StartLedger;
import io.flowgate.observability.SubmittedBacklog;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.flowgate.store.FailureStrategy;
import io.flowgate.store.Priority;
import io.flowgate.store.StartCommand;
import io.flowgate.store.StartOptions;
import io.flowgate.store.StartOutcome;
import io.flowgate.store.StoreFailures;
import io.flowgate.store.TraceParents;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one start path shared by the native, batch and DolphinScheduler-compatible endpoints:
 * validate, resolve the workflow, then admit; the endpoints have authorized the caller. A 409 for a
 * reused key is raised here.
 */
@ApplicationScoped
public class StartService {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final int MAX_WORKER_GROUP = 128;
  private static final int MAX_OFFSET_SECONDS = 16 * 3600;
  private static final OffsetDateTime EARLIEST_SCHEDULE =
      OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  private static final OffsetDateTime LATEST_SCHEDULE =
      OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999, ZoneOffset.UTC);

  private final StartAdmission admission;
  private final DefinitionCache definitions;
  private final StartLedger ledger;
  private final RequestConfig limits;
  private final SubmittedBacklog backlog;

  public StartService(
      StartAdmission admission,
      DefinitionCache definitions,
      StartLedger ledger,
      RequestConfig limits,
      SubmittedBacklog backlog) {
    this.backlog = backlog;
    this.admission = admission;
    this.definitions = definitions;
    this.ledger = ledger;
    this.limits = limits;
  }

  /**
   * Starts one instance; fails with a FlowgateException for every refusal, naming the
   * Idempotency-Key used (sent or generated) whenever that key is valid.
   */
  public Uni<StartOutcome> start(
      long projectCode, long workflowCode, String key, StartRequest body) {
    return start(projectCode, workflowCode, null, key, body);
  }

  /**
   * A start refused before it reached the service (its endpoint's permission): counted like any
   * other refusal, and naming the Idempotency-Key it would have used.
   */
  public FlowgateException refused(FlowgateException e, String key) {
    return refused(e, key, key == null ? "gen-" + UUID.randomUUID() : key);
  }

  private FlowgateException refused(FlowgateException e, String key, String usedKey) {
    ledger.rejected(e.code());
    boolean keyValid = key == null || KEY.matcher(key).matches();
    return keyValid ? e.withIdempotencyKey(usedKey) : e;
  }

  /** Starts one instance of the given workflow version (null: the latest). */
  public Uni<StartOutcome> start(
      long projectCode, long workflowCode, Integer version, String key, StartRequest body) {
    StartRequest request = body == null ? StartRequest.EMPTY : body;
    UUID requestId = UUID.randomUUID();
    String usedKey = key == null ? "gen-" + requestId : key;
    try {
      validate(key, request);
      backlog.admit();
    } catch (FlowgateException e) {
      return Uni.createFrom().failure(refused(e, key, usedKey));
    }
    return definitions
        .startable(projectCode, workflowCode)
        .onFailure(FlowgateException.class)
        .invoke(e -> ledger.rejected(((FlowgateException) e).code()))
        .flatMap(
            workflow ->
                admission.start(
                    command(
                        requestId,
                        projectCode,
                        workflowCode,
                        workflow.version(),
                        version,
                        key,
                        request)))
        .invoke(
            outcome -> {
              if (outcome.kind() == StartOutcome.Kind.KEY_REUSED) {
                throw new FlowgateException(
                    ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "Idempotency-Key '"
                        + key
                        + "' was used for instance "
                        + outcome.instance().instanceId()
                        + " with a different request");
              }
            })
        .onFailure()
        .transform(failure -> answerOf(failure, usedKey));
  }

  // every refusal names the key; a store failure before admission (definition read) is the
  // store's, answered 503 STORE_UNAVAILABLE on every endpoint
  private Throwable answerOf(Throwable failure, String usedKey) {
    if (failure instanceof FlowgateException e) {
      return e.withIdempotencyKey(usedKey);
    }
    if (StoreFailures.isStoreUnavailable(failure)) {
      Log.warnf("store unavailable before admission: %s", failure.getMessage());
      ledger.rejected(ErrorCode.STORE_UNAVAILABLE);
      return new FlowgateException(
              ErrorCode.STORE_UNAVAILABLE, "the store is unavailable; nothing was written", 1)
          .withIdempotencyKey(usedKey);
    }
    return failure;
  }

  /** Refuses (VALIDATION_FAILED) a key or request any start path would refuse. */
  public void validate(String key, StartRequest request) {
    if (key != null && !KEY.matcher(key).matches()) {
      throw invalid("Idempotency-Key: 1-128 characters of [A-Za-z0-9._:-]");
    }
    Map<String, String> params = request.params();
    if (params != null) {
      if (params.size() > limits.maxParams()) {
        throw invalid("params: at most " + limits.maxParams() + " entries");
      }
      for (Map.Entry<String, String> e : params.entrySet()) {
        if (e.getKey().isEmpty()) {
          throw invalid("params: keys must not be empty");
        }
        checkText("params key", e.getKey(), limits.maxParamLength());
        String field = "params." + SafeText.shown(e.getKey());
        if (e.getValue() == null) {
          throw invalid(field + ": must be a string");
        }
        checkText(field, e.getValue(), limits.maxParamLength());
      }
    }
    if (request.workerGroup() != null) {
      checkText("workerGroup", request.workerGroup(), MAX_WORKER_GROUP);
      String problem = SafeText.nameProblem(request.workerGroup());
      if (problem != null) {
        throw invalid("workerGroup: " + problem);
      }
    }
    OffsetDateTime scheduleTime = request.scheduleTime();
    if (scheduleTime != null
        && (scheduleTime.isBefore(EARLIEST_SCHEDULE) || scheduleTime.isAfter(LATEST_SCHEDULE))) {
      throw invalid("scheduleTime: must lie in the years 0001 to 9999");
    }
    // PostgreSQL stores offsets up to ±15:59:59; refused here, so both write modes agree
    if (scheduleTime != null
        && Math.abs(scheduleTime.getOffset().getTotalSeconds()) >= MAX_OFFSET_SECONDS) {
      throw invalid("scheduleTime: the UTC offset must lie within -15:59 to +15:59");
    }
  }

  private static void checkText(String field, String value, int max) {
    if (value.length() > max) {
      throw invalid(field + ": at most " + max + " characters");
    }
    // PostgreSQL jsonb refuses NUL and UTF-8 has no unpaired surrogate: refused here, so one
    // request cannot fail a batch or be stored other than it was sent
    String problem = SafeText.problem(value);
    if (problem != null) {
      throw invalid(field + ": " + problem);
    }
  }

  private static FlowgateException invalid(String detail) {
    return new FlowgateException(ErrorCode.VALIDATION_FAILED, detail);
  }

  private static StartCommand command(
      UUID requestId,
      long projectCode,
      long workflowCode,
      int latest,
      Integer asked,
      String key,
      StartRequest r) {
    int version = asked == null ? latest : asked;
    boolean generated = key == null;
    Priority priority = r.priority() == null ? Priority.MEDIUM : r.priority();
    FailureStrategy strategy =
        r.failureStrategy() == null ? FailureStrategy.END : r.failureStrategy();
    Map<String, String> params = r.params() == null ? Map.of() : r.params();
    boolean dryRun = Boolean.TRUE.equals(r.dryRun());
    SpanContext span = Span.current().getSpanContext();
    TraceParents.W3cHeaders trace = TraceParents.of(span);
    return new StartCommand(
        requestId,
        projectCode,
        workflowCode,
        version,
        generated ? "gen-" + requestId : key,
        generated,
        RequestFingerprint.of(
                workflowCode, priority, strategy, params, r.scheduleTime(), r.workerGroup(), dryRun)
            // an explicitly asked version is part of the request; absent, fingerprints stay as
            // they were
            + (asked == null ? "" : "|v" + asked),
        new StartOptions(params, priority, strategy, r.scheduleTime(), r.workerGroup(), dryRun),
        trace.traceParent(),
        trace.traceState(),
        span,
        RequestFingerprint.legacy(
            workflowCode, priority, strategy, params, r.scheduleTime(), r.workerGroup(), dryRun));
  }
}
