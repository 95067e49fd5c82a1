package io.flowgate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.flowgate.api.security.Caller;
import io.flowgate.api.security.CurrentCaller;
import io.flowgate.api.security.ProjectPermission;
import io.flowgate.api.security.RateLimiter;
import io.flowgate.config.RequestConfig;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.flowgate.problem.Problems;
import io.flowgate.store.FailureStrategy;
import io.flowgate.store.Priority;
import io.flowgate.store.StartOutcome;
import io.quarkus.logging.Log;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Starts up to 1000 instances in one call; each item goes through admission on its own, and items
 * that share an idempotency key are answered in request order (the first creates, the others replay
 * or conflict).
 */
@Path("/api/v1/projects/{projectCode}/instances:batch")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class BatchStartResource {

  /** One item of a batch start. */
  public record Item(
      Long workflowCode,
      String idempotencyKey,
      Map<String, String> params,
      Priority priority,
      FailureStrategy failureStrategy,
      @JsonDeserialize(using = ScheduleTimeJson.class) OffsetDateTime scheduleTime,
      String workerGroup,
      Boolean dryRun) {}

  /** The batch request. */
  public record BatchRequest(List<Item> items) {}

  /** The result of one item, in request order: a start answer or a problem. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ItemResult(
      int status,
      StartResponse instance,
      String code,
      String detail,
      Long retryAfter,
      String idempotencyKey) {}

  /** All results, in request order. */
  public record BatchResponse(List<ItemResult> results, String traceId) {}

  private final StartService starts;
  private final CurrentCaller caller;
  private final RequestConfig limits;
  private final RateLimiter limiter;

  public BatchStartResource(
      StartService starts, CurrentCaller caller, RequestConfig limits, RateLimiter limiter) {
    this.starts = starts;
    this.caller = caller;
    this.limits = limits;
    this.limiter = limiter;
  }

  @POST
  @PermissionsAllowed(value = Caller.START, permission = ProjectPermission.class)
  @Operation(summary = "Start up to 1000 instances; per-item results in request order")
  public Uni<BatchResponse> start(@PathParam("projectCode") long projectCode, BatchRequest body) {
    Caller who = caller.get();
    List<Item> items = validated(body);
    limiter.acquire(who, items.size() - 1); // the call itself paid one permit at the door
    List<Uni<ItemResult>> results = new ArrayList<>(items.size());
    Map<String, Uni<ItemResult>> lastWithKey = new HashMap<>();
    for (Item item : items) {
      Uni<ItemResult> result = startOne(projectCode, item);
      String key = item.idempotencyKey();
      if (key != null) {
        // Items sharing a key run in request order, so the first one is the one that creates.
        Uni<ItemResult> earlier = lastWithKey.get(key);
        if (earlier != null) {
          result = earlier.replaceWith(result);
        }
        result = result.memoize().indefinitely();
        lastWithKey.put(key, result);
      }
      results.add(result);
    }
    String traceId = Problems.traceId();
    return Uni.join().all(results).andFailFast().map(list -> new BatchResponse(list, traceId));
  }

  private List<Item> validated(BatchRequest body) {
    if (body == null || body.items() == null || body.items().isEmpty()) {
      throw new FlowgateException(
          ErrorCode.VALIDATION_FAILED, "items: at least one item is required");
    }
    if (body.items().size() > limits.maxBatchItems()) {
      throw new FlowgateException(
          ErrorCode.VALIDATION_FAILED, "items: at most " + limits.maxBatchItems() + " items");
    }
    for (int i = 0; i < body.items().size(); i++) {
      Item item = body.items().get(i);
      if (item == null || item.workflowCode() == null) {
        throw new FlowgateException(
            ErrorCode.VALIDATION_FAILED, "items[" + i + "].workflowCode: is required");
      }
    }
    return body.items();
  }

  private Uni<ItemResult> startOne(long projectCode, Item item) {
    StartRequest request =
        new StartRequest(
            item.params(),
            item.priority(),
            item.failureStrategy(),
            item.scheduleTime(),
            item.workerGroup(),
            item.dryRun());
    return starts
        .start(projectCode, item.workflowCode(), item.idempotencyKey(), request)
        .map(BatchStartResource::result)
        .onFailure()
        .recoverWithItem(BatchStartResource::failure);
  }

  private static ItemResult result(StartOutcome outcome) {
    boolean replayed = outcome.kind() == StartOutcome.Kind.REPLAYED;
    return new ItemResult(
        replayed ? 200 : 201,
        StartResponse.of(outcome.instance(), replayed),
        null,
        null,
        null,
        outcome.instance().idempotencyKey());
  }

  private static ItemResult failure(Throwable failure) {
    if (failure instanceof FlowgateException e) {
      return new ItemResult(
          e.code().status(),
          null,
          e.code().name(),
          e.getMessage(),
          e.code().retryable() ? Math.max(1, e.retryAfterSeconds()) : null,
          e.idempotencyKey());
    }
    Log.errorf(failure, "unexpected failure of a batch item");
    return new ItemResult(
        500, null, ErrorCode.INTERNAL_ERROR.name(), "unexpected error", null, null);
  }
}
