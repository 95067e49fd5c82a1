package io.flowgate.engine;

import io.flowgate.observability.SpanNames;
import io.flowgate.store.TraceParents;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Engine spans, each parented on the W3C trace context stored with its instance. */
@ApplicationScoped
public class EngineTracing {

  private final Tracer tracer;

  public EngineTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  /** The context the instance was created in, or the root context if none was stored. */
  public static Context parent(String traceParent, String traceState) {
    return TraceParents.parent(traceParent, traceState);
  }

  /** Starts a span of the instance's trace; the caller ends it. */
  public Span start(String name, long instanceId, String traceParent, String traceState) {
    return tracer
        .spanBuilder(name)
        .setParent(parent(traceParent, traceState))
        .setAttribute(SpanNames.INSTANCE, instanceId)
        .startSpan();
  }

  /**
   * Spans for what committed plans did: tasks the master ran inline (one execute span each, its
   * outcome prefixed "inline"), dispatched tasks and completed instances.
   */
  public void planned(List<PlanWriter.Planned> plans) {
    for (PlanWriter.Planned p : plans) {
      for (InlineTasks.Ran r : p.ran()) {
        record(
            SpanNames.TASK_EXECUTE,
            p.instance(),
            r.node().code(),
            "inline " + r.state().name() + ", attempt " + r.attempt());
      }
      for (DagPlanner.NewTask t : p.plan().dispatch()) {
        record(SpanNames.TASK_DISPATCH, p.instance(), t.node().code(), "attempt " + t.attempt());
      }
      if (p.plan().finalState() != null) {
        record(SpanNames.INSTANCE_COMPLETE, p.instance(), null, p.plan().finalState().name());
      }
    }
  }

  /** A span for something that already happened, ended at once. */
  public void record(String name, OwnedInstance i, String taskCode, String outcome) {
    Span span = start(name, i.id(), i.traceParent(), i.traceState());
    span.setAttribute(SpanNames.WORKFLOW, i.workflowCode());
    span.setAttribute(SpanNames.PROJECT, i.projectCode());
    if (taskCode != null) {
      span.setAttribute(SpanNames.TASK, taskCode);
    }
    if (outcome != null) {
      span.setAttribute(SpanNames.OUTCOME, outcome);
    }
    span.end();
  }
}
