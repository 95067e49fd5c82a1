package io.flowgate.definition;

import io.flowgate.observability.ErrorCode;
import io.flowgate.observability.FlowgateException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The workflows that starts refer to, cached so the hot path does not read the definition on every
 * request. A release or offline on this replica takes effect at once; on other replicas within
 * {@code flowgate.definition.cache-ttl} plus the time of one read. Concurrent misses share one
 * read, and a start never waits for the store on a workflow it saw recently: past the TTL the entry
 * is still served (up to {@link #MAX_STALE_TTLS} TTLs) while one read refreshes it. Unknown
 * workflows are remembered for the TTL too, so a flood of bad codes costs one read per code and
 * TTL.
 */
@ApplicationScoped
public class DefinitionCache {

  static final int MAX_STALE_TTLS = 10;
  private static final int MAX_ENTRIES = 10_000;

  private record Key(long projectCode, long workflowCode) {}

  private record Entry(Workflow workflow, long loadedAtNanos) {}

  private final DefinitionRepository repository;
  private final long ttlNanos;
  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
  private final Map<Key, Uni<Workflow>> loading = new ConcurrentHashMap<>();

  public DefinitionCache(
      DefinitionRepository repository,
      @ConfigProperty(name = "flowgate.definition.cache-ttl", defaultValue = "1s")
          java.time.Duration ttl) {
    this.repository = repository;
    this.ttlNanos = ttl.toNanos();
  }

  /** The released workflow a start may use: 404 WORKFLOW_NOT_FOUND, 409 WORKFLOW_NOT_RELEASED. */
  public Uni<Workflow> startable(long projectCode, long workflowCode) {
    return workflow(projectCode, workflowCode)
        .map(
            w -> {
              if (w == null) {
                throw new FlowgateException(
                    ErrorCode.WORKFLOW_NOT_FOUND,
                    "workflow " + workflowCode + " does not exist in project " + projectCode);
              }
              if (!w.online()) {
                throw new FlowgateException(
                    ErrorCode.WORKFLOW_NOT_RELEASED, "workflow " + workflowCode + " is offline");
              }
              return w;
            });
  }

  private Uni<Workflow> workflow(long projectCode, long workflowCode) {
    Key key = new Key(projectCode, workflowCode);
    Entry entry = entries.get(key);
    if (entry != null) {
      long age = System.nanoTime() - entry.loadedAtNanos;
      if (age < ttlNanos) {
        return Uni.createFrom().item(entry.workflow);
      }
      if (age < MAX_STALE_TTLS * ttlNanos) {
        load(key).subscribe().with(w -> {}, failure -> {});
        return Uni.createFrom().item(entry.workflow);
      }
    }
    return load(key);
  }

  // one read per workflow at a time; everybody who misses meanwhile shares its answer
  private Uni<Workflow> load(Key key) {
    return loading.computeIfAbsent(
        key,
        k ->
            repository
                .workflow(k.projectCode, k.workflowCode)
                .invoke(w -> remember(k, w))
                .onTermination()
                .invoke(() -> loading.remove(k))
                .memoize()
                .indefinitely());
  }

  private void remember(Key key, Workflow workflow) {
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(key, new Entry(workflow, System.nanoTime()));
  }

  /** Forgets a workflow after it changed on this replica. */
  public void invalidate(long workflowCode) {
    entries.keySet().removeIf(key -> key.workflowCode == workflowCode);
  }
}
