package io.flowgate.engine;

import io.flowgate.engine.Transitions.Transition;
import io.flowgate.persistence.Notifications;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.flowgate.store.InstanceRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Asks an instance to stop: one not yet claimed is STOPPED at once; a running one goes STOPPING and
 * its master stops its tasks and ends it STOPPED.
 */
@ApplicationScoped
public class InstanceStopper {

  /** The instance's state after the request. */
  public record Stopped(long instanceId, String state) {}

  private static final String LOCK =
      "select project_code, state from workflow_instance where id = $1 for no key update";
  private static final String UPDATE =
      "update workflow_instance set state = $2, updated_at = now(),"
          + " ended_at = case when $2 = 'STOPPED' then now() else ended_at end where id = $1";

  private final Pool pool;
  private final Notifications notifications;

  public InstanceStopper(Pool pool, Notifications notifications) {
    this.pool = pool;
    this.notifications = notifications;
  }

  /** Who asks: whether they see a project, and a check that throws unless they may stop in it. */
  public interface Asker {
    boolean sees(long projectCode);

    void requireStop(long projectCode);

    String subject();
  }

  public Uni<Stopped> stop(Asker caller, long id) {
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(LOCK)
                    .execute(Tuple.of(id))
                    .flatMap(
                        rows -> {
                          InstanceRow instance =
                              rows.iterator().hasNext()
                                  ? InstanceRow.of(rows.iterator().next())
                                  : null;
                          if (instance == null || !caller.sees(instance.projectCode())) {
                            throw new FlowgateException(
                                ErrorCode.INSTANCE_NOT_FOUND, "instance " + id + " not found");
                          }
                          caller.requireStop(instance.projectCode());
                          InstanceState state = InstanceState.of(instance.state());
                          return change(conn, id, state, caller.subject());
                        }))
        .invoke(stopped -> notifications.publish(Notifications.RESULTS));
  }

  private Uni<Stopped> change(SqlConnection conn, long id, InstanceState state, String who) {
    if (state.isFinal()) {
      throw new FlowgateException(
          ErrorCode.INSTANCE_NOT_STOPPABLE, "instance " + id + " is already " + state);
    }
    if (state == InstanceState.STOPPING) {
      return Uni.createFrom().item(new Stopped(id, state.name()));
    }
    InstanceState next =
        state == InstanceState.SUBMITTED ? InstanceState.STOPPED : InstanceState.STOPPING;
    return conn.preparedQuery(UPDATE)
        .execute(Tuple.of(id, next.name()))
        .flatMap(
            v ->
                Transitions.append(
                    conn, List.of(Transition.of(id, null, next, "stop asked by " + who))))
        .replaceWith(new Stopped(id, next.name()));
  }
}
