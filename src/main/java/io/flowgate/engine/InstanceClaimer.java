package io.flowgate.engine;

import io.flowgate.config.EngineConfig;
import io.flowgate.engine.PlanWriter.Planned;
import io.flowgate.engine.Transitions.Transition;
import io.flowgate.observability.SpanNames;
import io.flowgate.persistence.Notifications;
import io.flowgate.store.InstanceRow;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Claims SUBMITTED instances, and live instances whose lease expired (takeover), with {@code FOR
 * UPDATE SKIP LOCKED}: sets this replica's lease, moves SUBMITTED to RUNNING and dispatches the
 * DAG's roots, all in one transaction.
 */
public final class InstanceClaimer {

  // Two ordered, limited scans instead of one OR: expired leases walk
  // workflow_instance_lease_idx, the backlog walks workflow_instance_submitted_idx in created_at
  // order, so a claim reads about claim-batch rows however long the backlog is.
  private static final String CLAIM =
      "with expired as (select id, state as prev_state, lease_owner as prev_owner"
          + "   from workflow_instance"
          + "   where state in ('RUNNING', 'STOPPING') and lease_expires_at < now()"
          + "   order by lease_expires_at limit $2 for no key update skip locked),"
          + " submitted as (select id, state as prev_state, lease_owner as prev_owner"
          + "   from workflow_instance where state = 'SUBMITTED'"
          // a serial complement date is claimed once the date before it is final
          + "     and (run_after is null or exists (select 1 from workflow_instance p"
          + "       where p.id = workflow_instance.run_after"
          + "         and p.state in ('SUCCESS', 'FAILURE', 'STOPPED')))"
          + "   order by created_at limit $2 for no key update skip locked),"
          + " c as ((select * from expired) union all (select * from submitted) limit $2)"
          + " update workflow_instance i set"
          + "   state = case when c.prev_state = 'SUBMITTED' then 'RUNNING' else i.state end,"
          + "   lease_owner = $1, lease_expires_at = now() + make_interval(secs => $3),"
          + "   claim_count = i.claim_count + 1, started_at = coalesce(i.started_at, now()),"
          + "   updated_at = now()"
          + " from c where i.id = c.id"
          + " returning "
          + OwnedInstance.COLUMNS
          + ", i.claim_count, i.created_at, now() as claimed_at, c.prev_state, c.prev_owner";

  private final String owner;
  private final Pool pool;
  private final EngineConfig.Master config;
  private final DagCache dags;
  private final EngineTracing tracing;
  private final EngineMetrics metrics;
  private final Notifications notifications;
  private final InlineTasks inline;

  public InstanceClaimer(
      String owner,
      Pool pool,
      EngineConfig.Master config,
      DagCache dags,
      EngineTracing tracing,
      EngineMetrics metrics,
      Notifications notifications,
      InlineTasks inline) {
    this.owner = owner;
    this.inline = inline;
    this.pool = pool;
    this.config = config;
    this.dags = dags;
    this.tracing = tracing;
    this.metrics = metrics;
    this.notifications = notifications;
  }

  /** Claims one batch; tells how many instances were claimed when the batch was full, else 0. */
  public Uni<Integer> claimOnce() {
    double lease = config.lease().toMillis() / 1000.0;
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(CLAIM)
                    .execute(Tuple.of(owner, config.claimBatch(), lease))
                    .flatMap(rows -> dispatchRoots(conn, rows)))
        .invoke(this::afterCommit)
        // a short batch means nothing more is waiting: no immediate empty claim after it
        .map(c -> c.rows().size() < config.claimBatch() ? 0 : c.rows().size());
  }

  private record Claimed(List<Row> rows, List<Planned> plans) {}

  private Uni<Claimed> dispatchRoots(SqlConnection conn, Iterable<Row> claimed) {
    List<Row> rows = new ArrayList<>();
    claimed.forEach(rows::add);
    if (rows.isEmpty()) {
      return Uni.createFrom().item(new Claimed(rows, List.of()));
    }
    List<Transition> history = new ArrayList<>();
    return Multi.createFrom()
        .iterable(rows)
        .onItem()
        .transformToUniAndConcatenate(row -> planFor(conn, row, history))
        .collect()
        .asList()
        .flatMap(plans -> Transitions.append(conn, history).replaceWith(plans))
        .flatMap(plans -> PlanWriter.write(conn, plans).replaceWith(new Claimed(rows, plans)));
  }

  private Uni<Planned> planFor(SqlConnection conn, Row row, List<Transition> history) {
    OwnedInstance instance = OwnedInstance.of(row);
    int claim = InstanceRow.of(row).claimCount();
    String prevOwner = row.getString("prev_owner");
    if (!wasSubmitted(row)) {
      String detail = "taken over by " + owner + " from " + prevOwner + " after lease expiry";
      history.add(Transition.of(instance.id(), claim, instance.state(), detail));
      return Uni.createFrom().item(new Planned(instance, emptyPlan()));
    }
    history.add(Transition.of(instance.id(), claim, InstanceState.RUNNING, "claimed by " + owner));
    // on the claim's own connection: a store error rolls the whole claim back (the instance stays
    // SUBMITTED and is claimed again); only a missing or unparseable version fails the instance
    return dags.get(conn, instance.workflowCode(), instance.workflowVersion())
        .map(dag -> dag.restrictedTo(instance.startNodes()))
        .map(
            dag ->
                new Planned(
                    instance,
                    inline.plan(InstanceState.RUNNING, instance.failureStrategy(), dag, List.of())))
        .onFailure(DagCache.BadDefinition.class)
        .recoverWithItem(e -> new Planned(instance, DagPlanner.badDefinition(e)));
  }

  private static boolean wasSubmitted(Row row) {
    return InstanceState.SUBMITTED.name().equals(row.getString("prev_state"));
  }

  private static DagPlanner.Plan emptyPlan() {
    return new DagPlanner.Plan(List.of(), List.of(), null, null);
  }

  private void afterCommit(Claimed claimed) {
    List<Row> rows = claimed.rows();
    tracing.planned(claimed.plans());
    metrics.ranInline(claimed.plans());
    if (claimed.plans().stream().anyMatch(p -> !p.plan().dispatch().isEmpty())) {
      notifications.publish(Notifications.TASKS);
    }
    for (Row row : rows) {
      OwnedInstance instance = OwnedInstance.of(row);
      boolean takeover = !wasSubmitted(row);
      if (!takeover) {
        metrics.claimLag(
            Duration.between(InstanceRow.of(row).createdAt(), row.getOffsetDateTime("claimed_at")));
      }
      tracing.record(SpanNames.MASTER_CLAIM, instance, null, takeover ? "takeover" : "claimed");
      Log.debugf("Master %s claimed instance %d (takeover: %s)", owner, instance.id(), takeover);
    }
    if (!rows.isEmpty()) {
      Log.debugf("Master %s claimed %d instances", owner, rows.size());
    }
  }
}
