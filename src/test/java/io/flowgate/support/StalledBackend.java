package io.flowgate.support;

import java.io.IOException;
import java.util.List;

/**
 * Stalls the PostgreSQL backend process of one connection (SIGSTOP) and lets it go on again
 * (SIGCONT): the server neither answers nor gives up, as a stalled server or a network partition
 * behaves. A lock would not do: the writer's lock_timeout answers a lock wait definitively.
 */
public final class StalledBackend implements AutoCloseable {

  private final long pid;
  private boolean resumed;

  private StalledBackend(long pid) {
    this.pid = pid;
  }

  /** Stops the backend whose connection has this application_name; exactly one must exist. */
  public static StalledBackend of(Db db, String applicationName) {
    long pid =
        db.count(
            "select pid::bigint from pg_stat_activity where application_name = $1",
            applicationName);
    signal("-STOP", pid);
    return new StalledBackend(pid);
  }

  /** The backend goes on with whatever it was sent meanwhile. */
  public void resume() {
    if (!resumed) {
      resumed = true;
      signal("-CONT", pid);
    }
  }

  @Override
  public void close() {
    resume();
  }

  private static void signal(String signal, long pid) {
    try {
      Process kill = new ProcessBuilder(List.of("kill", signal, Long.toString(pid))).start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill " + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
