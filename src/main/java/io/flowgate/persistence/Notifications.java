package io.flowgate.persistence;

import io.flowgate.config.EngineConfig;
import io.quarkus.logging.Log;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * PostgreSQL LISTEN/NOTIFY on one connection per process: wakes claim loops promptly. Lost
 * notifications only cost latency, since every loop also polls.
 *
 * <p>Publishing is coalesced and kept off the hot transactions: {@code NOTIFY} takes a
 * database-wide lock from the statement through commit, so a {@code NOTIFY} inside every report or
 * dispatch transaction serialises their commits. {@link #publish} is called after the caller's
 * commit, wakes this process's listeners at once and sends at most one {@code NOTIFY} per channel
 * per {@code flowgate.notify.coalesce} interval, in its own short statement.
 */
@ApplicationScoped
public class Notifications {

  public static final String INSTANCES = "flowgate_instances";
  public static final String TASKS = "flowgate_tasks";
  public static final String RESULTS = "flowgate_results";

  private final Vertx vertx;
  private final String url;
  private final String user;
  private final String password;
  private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();
  private final Pool pool;
  private final long coalesceMillis;
  private final Set<String> pending = new HashSet<>();
  private PgSubscriber subscriber;

  public Notifications(
      Vertx vertx,
      Pool pool,
      EngineConfig config,
      @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") String user,
      @ConfigProperty(name = "quarkus.datasource.password") String password) {
    this.vertx = vertx;
    this.pool = pool;
    this.coalesceMillis = Math.max(1, config.notifications().coalesce().toMillis());
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** Calls the listener on every notification on the channel (and on reconnect). */
  public synchronized void listen(String channel, Runnable listener) {
    listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
    if (subscriber == null) {
      connect();
    } else {
      subscribe(channel);
    }
  }

  public synchronized void unlisten(String channel, Runnable listener) {
    List<Runnable> list = listeners.get(channel);
    if (list != null) {
      list.remove(listener);
    }
  }

  private void connect() {
    PgConnectOptions options = PgConnectOptions.fromUri(url).setUser(user).setPassword(password);
    subscriber = PgSubscriber.subscriber(vertx, options);
    subscriber.reconnectPolicy(retries -> 1000L);
    listeners.keySet().forEach(this::subscribe);
    subscriber
        .connect()
        .subscribe()
        .with(
            ok -> Log.debugf("Listening on %s", listeners.keySet()),
            failure -> Log.warnf("LISTEN connection failed (%s); polling only", failure));
  }

  private void subscribe(String channel) {
    subscriber
        .channel(channel)
        .handler(payload -> listeners.getOrDefault(channel, List.of()).forEach(Runnable::run))
        .subscribeHandler(() -> listeners.getOrDefault(channel, List.of()).forEach(Runnable::run));
  }

  /**
   * Tells listeners on the channel, in this process at once and in the others with one coalesced
   * {@code NOTIFY} at most every coalesce interval. Call it after the commit it announces.
   */
  public void publish(String channel) {
    listeners.getOrDefault(channel, List.of()).forEach(Runnable::run);
    boolean first;
    synchronized (pending) {
      first = pending.isEmpty();
      pending.add(channel);
    }
    if (first) {
      vertx.setTimer(coalesceMillis, id -> flush());
    }
  }

  private void flush() {
    List<String> channels;
    synchronized (pending) {
      channels = new ArrayList<>(pending);
      pending.clear();
    }
    for (String channel : channels) {
      pool.query("notify " + channel)
          .execute()
          .subscribe()
          .with(
              ok -> {},
              failure -> Log.debugf("NOTIFY %s failed (%s); polling covers it", channel, failure));
    }
  }

  /** Closes the LISTEN connection. */
  public synchronized void close() {
    if (subscriber != null) {
      subscriber.close().subscribe().with(ok -> {}, failure -> {});
      subscriber = null;
    }
  }
}
