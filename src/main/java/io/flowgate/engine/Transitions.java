package io.flowgate.engine;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Appends state changes of instances and tasks to {@code instance_transition}. */
public final class Transitions {

  /** One state change; {@code taskCode} is null for the instance itself. */
  public record Transition(
      long instanceId, String taskCode, Integer attempt, String state, String detail) {

    /** A change of the instance itself. */
    public static Transition of(
        long instanceId, Integer claim, InstanceState state, String detail) {
      return new Transition(instanceId, null, claim, state.name(), detail);
    }

    /** A change of one task attempt. */
    public static Transition of(
        long instanceId, String taskCode, int attempt, TaskState state, String detail) {
      return new Transition(instanceId, taskCode, attempt, state.name(), detail);
    }
  }

  private static final String INSERT =
      "insert into instance_transition (instance_id, task_code, attempt, state, detail)"
          + " values ($1, $2, $3, $4, $5)";
  private static final int MAX_DETAIL = 2000;

  private Transitions() {}

  public static Uni<Void> append(SqlClient client, List<Transition> transitions) {
    if (transitions.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Tuple> rows = new ArrayList<>(transitions.size());
    for (Transition t : transitions) {
      String detail = t.detail();
      if (detail != null && detail.length() > MAX_DETAIL) {
        detail = detail.substring(0, MAX_DETAIL);
      }
      rows.add(Tuple.of(t.instanceId(), t.taskCode(), t.attempt(), t.state(), detail));
    }
    return client.preparedQuery(INSERT).executeBatch(rows).replaceWithVoid();
  }
}
