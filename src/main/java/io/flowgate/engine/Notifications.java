package io.flowgate.engine;

import io.quarkus.logging.Log;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * PostgreSQL LISTEN/NOTIFY on one connection per process: wakes claim loops promptly. Lost
 * notifications only cost latency, since every loop also polls.
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
  private PgSubscriber subscriber;

  public Notifications(
      Vertx vertx,
      @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") String user,
      @ConfigProperty(name = "quarkus.datasource.password") String password) {
    this.vertx = vertx;
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

  /** Closes the LISTEN connection. */
  public synchronized void close() {
    if (subscriber != null) {
      subscriber.close().subscribe().with(ok -> {}, failure -> {});
      subscriber = null;
    }
  }
}
