package io.flowgate.observability;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The stable span names and attribute keys of Flowgate's traces. A start records two spans of its
 * own (the HTTP server span and {@link #INSTANCE_CREATE}); its queue wait and its commit attempts
 * are attributes, events and one link of {@link #INSTANCE_CREATE}, not spans.
 */
public final class SpanNames {
  public static final String INSTANCE_CREATE = "flowgate.instance.create";
  public static final String COMMIT_BATCH = "flowgate.store.commit_batch";

  /** Event on {@link #INSTANCE_CREATE}, one per failed commit attempt of the start's batch. */
  public static final String COMMIT_FAILED = "flowgate.store.commit_failed";

  public static final String MASTER_CLAIM = "flowgate.master.claim";
  public static final String TASK_DISPATCH = "flowgate.task.dispatch";
  public static final String TASK_EXECUTE = "flowgate.task.execute";
  public static final String INSTANCE_COMPLETE = "flowgate.instance.complete";
  public static final String START_REJECTED = "flowgate.start.rejected";

  public static final AttributeKey<Long> INSTANCE = AttributeKey.longKey("flowgate.instance.id");
  public static final AttributeKey<Long> WORKFLOW = AttributeKey.longKey("flowgate.workflow.code");
  public static final AttributeKey<Long> PROJECT = AttributeKey.longKey("flowgate.project.code");
  public static final AttributeKey<String> IDEMPOTENCY_KEY =
      AttributeKey.stringKey("flowgate.idempotency.key");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("flowgate.outcome");
  public static final AttributeKey<String> PRIORITY = AttributeKey.stringKey("flowgate.priority");
  public static final AttributeKey<Long> WAIT_MILLIS =
      AttributeKey.longKey("flowgate.admission.wait_ms");
  public static final AttributeKey<Long> QUEUE_DEPTH =
      AttributeKey.longKey("flowgate.admission.queue_depth");
  public static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("flowgate.batch.size");
  public static final AttributeKey<Long> BATCH_ID = AttributeKey.longKey("flowgate.batch.id");
  public static final AttributeKey<Long> COMMIT_MILLIS =
      AttributeKey.longKey("flowgate.batch.commit_ms");
  public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("flowgate.batch.attempt");

  /** The failure of a commit attempt: the exception's simple class name, or why it was cut. */
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  public static final AttributeKey<String> TASK = AttributeKey.stringKey("flowgate.task.code");

  private SpanNames() {}
}
