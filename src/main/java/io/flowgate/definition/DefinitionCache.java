package io.flowgate.definition;

import io.flowgate.observability.ErrorCode;
import io.flowgate.observability.FlowgateException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The workflows that starts refer to, cached for a short time so the hot path does not read the
 * definition on every request. A release or offline on this replica takes effect at once; on other
 * replicas within {@code flowgate.definition.cache-ttl}.
 */
@ApplicationScoped
public class DefinitionCache {

  private record Entry(Workflow workflow, long loadedAtNanos) {}

  private final DefinitionRepository repository;
  private final long ttlNanos;
  private final Map<Long, Entry> byCode = new ConcurrentHashMap<>();

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
    Entry entry = byCode.get(workflowCode);
    if (entry != null && System.nanoTime() - entry.loadedAtNanos < ttlNanos) {
      Workflow w = entry.workflow;
      return Uni.createFrom().item(w != null && w.projectCode() == projectCode ? w : null);
    }
    return repository
        .workflow(projectCode, workflowCode)
        .invoke(
            w -> {
              if (w != null) {
                byCode.put(workflowCode, new Entry(w, System.nanoTime()));
              }
            });
  }

  /** Forgets a workflow after it changed on this replica. */
  public void invalidate(long workflowCode) {
    byCode.remove(workflowCode);
  }
}
