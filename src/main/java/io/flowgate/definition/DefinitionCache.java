package io.flowgate.definition;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flowgate.config.DefinitionConfig;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The workflows that starts refer to, cached so the hot path does not read the definition on every
 * request (Caffeine: bounded, frequency-based eviction, refresh after write). A release or offline
 * on this replica takes effect at once; on other replicas within {@code
 * flowgate.definition.cache-ttl} plus the time of one read. Concurrent misses share one read, and a
 * start never waits for the store on a workflow it saw recently: past the TTL the entry is still
 * served (up to {@link #MAX_STALE_TTLS} TTLs) while one read refreshes it. Unknown workflows are
 * remembered for the TTL too, so a flood of bad codes costs one read per code and TTL.
 */
@ApplicationScoped
public class DefinitionCache {

  static final int MAX_STALE_TTLS = 10;
  private static final int MAX_ENTRIES = 10_000;

  private record Key(long projectCode, long workflowCode) {}

  private final DefinitionRepository repository;
  private final AsyncLoadingCache<Key, Optional<Workflow>> workflows;
  private final Counter readFailures;

  public DefinitionCache(
      DefinitionRepository repository, MeterRegistry registry, DefinitionConfig config) {
    Duration ttl = config.cacheTtl();
    this.repository = repository;
    this.readFailures =
        Counter.builder("flowgate.definition.cache.read.failures")
            .description("definition reads (loads and refreshes) that failed")
            .register(registry);
    this.workflows =
        Caffeine.newBuilder()
            .maximumSize(MAX_ENTRIES)
            .refreshAfterWrite(ttl)
            .expireAfterWrite(ttl.multipliedBy(MAX_STALE_TTLS))
            .recordStats()
            .buildAsync((key, executor) -> read(key).subscribeAsCompletionStage());
    CaffeineCacheMetrics.monitor(registry, workflows, "flowgate.definitions");
  }

  /** The released workflow a start may use: 404 WORKFLOW_NOT_FOUND, 409 WORKFLOW_NOT_RELEASED. */
  public Uni<Workflow> startable(long projectCode, long workflowCode) {
    return workflow(projectCode, workflowCode)
        .map(
            found -> {
              Workflow w = found.orElseThrow(() -> notFound(projectCode, workflowCode));
              if (!w.online()) {
                throw new FlowgateException(
                    ErrorCode.WORKFLOW_NOT_RELEASED, "workflow " + workflowCode + " is offline");
              }
              return w;
            });
  }

  private static FlowgateException notFound(long projectCode, long workflowCode) {
    return new FlowgateException(
        ErrorCode.WORKFLOW_NOT_FOUND,
        "workflow " + workflowCode + " does not exist in project " + projectCode);
  }

  private Uni<Optional<Workflow>> workflow(long projectCode, long workflowCode) {
    CompletableFuture<Optional<Workflow>> shared =
        workflows.get(new Key(projectCode, workflowCode));
    if (shared.isDone()) {
      return Uni.createFrom().completionStage(shared.copy());
    }
    // the shared load stays the cache's: a caller that goes away cancels only its copy, and its
    // continuation comes back on the caller's own event loop
    Context context = Vertx.currentContext();
    Uni<Optional<Workflow>> answer = Uni.createFrom().completionStage(shared.copy());
    return context == null ? answer : answer.emitOn(task -> context.runOnContext(v -> task.run()));
  }

  // a failed refresh keeps serving the entry it could not replace; both are logged and counted
  private Uni<Optional<Workflow>> read(Key key) {
    return repository
        .workflow(key.projectCode, key.workflowCode)
        .map(Optional::ofNullable)
        .onFailure()
        .invoke(
            failure -> {
              readFailures.increment();
              Log.warnf(
                  "reading workflow %d of project %d failed: %s",
                  key.workflowCode, key.projectCode, failure.toString());
            });
  }

  /** Forgets a workflow after it changed on this replica. */
  public void invalidate(long workflowCode) {
    workflows.synchronous().asMap().keySet().removeIf(key -> key.workflowCode == workflowCode);
  }
}
