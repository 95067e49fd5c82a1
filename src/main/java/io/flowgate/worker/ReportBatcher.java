package io.flowgate.worker;

import io.flowgate.engine.InstanceFinisher;
import io.flowgate.engine.PlanWriter.Planned;
import io.flowgate.engine.Transitions;
import io.flowgate.engine.Transitions.Transition;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Reports task results in batches, like the start writer: results that arrive within a millisecond
 * of each other (or up to {@link #MAX_BATCH}) share one transaction, one conditional update and one
 * history insert. Each result is stored only while its worker still holds the attempt's lease; a
 * failed batch fails every report in it, and each is retried on its own by the caller. When a batch
 * stores the last unfinished task of an instance, the instance is ended in the same transaction
 * (see {@link InstanceFinisher}), unless that is turned off.
 */
final class ReportBatcher {

  static final int MAX_BATCH = 256;
  private static final String REPORT =
      "update task_instance t set state = r.state, error = r.error, ended_at = now(),"
          + " updated_at = now(), lease_owner = null, lease_expires_at = null"
          + " from unnest($1::bigint[], $2::text[], $3::text[], $4::text[])"
          + "   as r(id, owner, state, error)"
          + " where t.id = r.id and t.state = 'RUNNING' and t.lease_owner = r.owner"
          + " returning t.id, r.owner";

  /** What became of one report. */
  enum Stored {
    /** Not stored: the owner no longer held the attempt. */
    NO,
    /** Stored; the master advances the instance. */
    YES,
    /** Stored, and the instance ended in the same transaction: nothing is left for the master. */
    ENDED_INSTANCE
  }

  private record Pending(
      ClaimedTask task, String owner, TaskResult result, CompletableFuture<Stored> done) {}

  private record Written(Set<Pending> stored, List<Planned> ended) {}

  private final Pool pool;
  private final Vertx vertx;
  private final InstanceFinisher finisher;
  private final Consumer<List<Planned>> ended;
  private final List<Pending> queue = new ArrayList<>();

  /**
   * @param finisher ends instances whose last task a batch stored; null leaves that to the master
   * @param ended told, after commit, the instances a batch ended
   */
  ReportBatcher(Pool pool, Vertx vertx, InstanceFinisher finisher, Consumer<List<Planned>> ended) {
    this.pool = pool;
    this.vertx = vertx;
    this.finisher = finisher;
    this.ended = ended;
  }

  /** Stores the result if the owner still holds the attempt; tells what became of it. */
  Uni<Stored> report(ClaimedTask task, String owner, TaskResult result) {
    Pending p = new Pending(task, owner, result, new CompletableFuture<>());
    boolean first;
    boolean full;
    synchronized (queue) {
      first = queue.isEmpty();
      queue.add(p);
      full = queue.size() >= MAX_BATCH;
    }
    if (full) {
      flush();
    } else if (first) {
      vertx.setTimer(1, id -> flush());
    }
    return Uni.createFrom().completionStage(p.done());
  }

  private void flush() {
    List<Pending> batch;
    synchronized (queue) {
      if (queue.isEmpty()) {
        return;
      }
      batch = new ArrayList<>(queue);
      queue.clear();
    }
    write(batch)
        .subscribe()
        .with(
            written -> {
              if (!written.ended().isEmpty()) {
                ended.accept(written.ended());
              }
              Set<Long> endedIds = new HashSet<>();
              written.ended().forEach(e -> endedIds.add(e.instance().id()));
              batch.forEach(
                  p ->
                      p.done()
                          .complete(
                              !written.stored().contains(p)
                                  ? Stored.NO
                                  : endedIds.contains(p.task().instanceId())
                                      ? Stored.ENDED_INSTANCE
                                      : Stored.YES));
            },
            failure -> batch.forEach(p -> p.done().completeExceptionally(failure)));
  }

  // the reports stored: one per attempt and owner (a duplicate report of the same attempt by the
  // same owner in the same batch is not stored twice)
  private Uni<Written> write(List<Pending> batch) {
    int n = batch.size();
    Long[] ids = new Long[n];
    String[] owners = new String[n];
    String[] states = new String[n];
    String[] errors = new String[n];
    for (int i = 0; i < n; i++) {
      Pending p = batch.get(i);
      ids[i] = p.task().id();
      owners[i] = p.owner();
      states[i] = p.result().state().name();
      errors[i] = p.result().success() ? null : p.result().detail();
    }
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(REPORT)
                .execute(Tuple.of(ids, owners, states, errors))
                .flatMap(
                    rows -> {
                      Set<String> updated = new HashSet<>();
                      rows.forEach(r -> updated.add(r.getLong("id") + "/" + r.getString("owner")));
                      Set<Pending> stored = new HashSet<>();
                      Set<Long> instances = new HashSet<>();
                      List<Transition> history = new ArrayList<>();
                      for (Pending p : batch) {
                        if (updated.remove(p.task().id() + "/" + p.owner())) {
                          stored.add(p);
                          ClaimedTask t = p.task();
                          instances.add(t.instanceId());
                          history.add(
                              Transition.of(
                                  t.instanceId(),
                                  t.taskCode(),
                                  t.attempt(),
                                  p.result().state(),
                                  p.result().detail()));
                        }
                      }
                      return Transitions.append(conn, history)
                          .flatMap(
                              v ->
                                  finisher == null
                                      ? Uni.createFrom().item(List.<Planned>of())
                                      : finisher.finishDone(conn, instances))
                          .map(done -> new Written(stored, done));
                    }));
  }
}
