package io.flowgate.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The PostgreSQL 15 that Flowgate starts for itself when no database is configured, so that the
 * service and its tests run on a machine with nothing but a JDK.
 */
public final class EmbeddedDatabase {

  /** System property that holds the URL once an embedded database runs in this JVM. */
  public static final String RUNNING_URL_PROPERTY = "flowgate.embedded.url";

  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());
  private static final String USER = "postgres";

  private static final Duration MAX_WAIT_FOR_APPLICATION = Duration.ofSeconds(120);

  private static EmbeddedPostgres running;
  private static volatile CountDownLatch applicationRunning = new CountDownLatch(0);

  private EmbeddedDatabase() {}

  /**
   * Starts the embedded database once per JVM and returns its URL in the {@code
   * postgresql://host:port/database} form that {@code flowgate.db.url} takes.
   *
   * @param dataDir where the cluster lives; empty for a fresh temporary directory
   * @param durable whether a commit is on disk before it is acknowledged ({@code
   *     synchronous_commit=on}, what the service promises); tests may trade that for speed
   */
  public static synchronized String start(Optional<Path> dataDir, boolean durable) {
    String url = System.getProperty(RUNNING_URL_PROPERTY);
    if (url != null) {
      return url;
    }
    try {
      Path dir = dataDir.isPresent() ? dataDir.get() : Files.createTempDirectory("flowgate-pg-");
      Files.createDirectories(dir);
      running =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(dataDir.isEmpty())
              .setPGStartupWait(Duration.ofSeconds(60))
              .setRegisterShutdownHook(false) // ours waits for the service to stop first
              .setServerConfig("max_connections", "200")
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", durable ? "on" : "off")
              .start();
      url = "postgresql://localhost:" + running.getPort() + "/postgres";
      System.setProperty(RUNNING_URL_PROPERTY, url);
      LOG.info(() -> "Embedded PostgreSQL 15 started at " + running.getPort() + ", data in " + dir);
      Runtime.getRuntime()
          .addShutdownHook(new Thread(EmbeddedDatabase::stopAfterApplication, "embedded-pg-stop"));
      return url;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
    }
  }

  /** The user of the embedded database (authentication is trust on loopback). */
  public static String user() {
    return USER;
  }

  /** The application has started: at JVM exit the database waits for it to stop first. */
  static void applicationStarted() {
    applicationRunning = new CountDownLatch(1);
  }

  /** The application has stopped (its drain is over): the database may go. */
  static void applicationStopped() {
    applicationRunning.countDown();
  }

  // JVM shutdown hooks run concurrently: the service's own shutdown (delay phase, drain, lease
  // release) needs the database until it is over, so this hook waits for it, within a bound
  private static void stopAfterApplication() {
    try {
      if (!applicationRunning.await(MAX_WAIT_FOR_APPLICATION.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warning("the application did not stop in time; stopping the embedded PostgreSQL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stop();
  }

  private static synchronized void stop() {
    if (running != null) {
      try {
        running.close();
      } catch (IOException e) {
        LOG.warning("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
      }
      running = null;
    }
  }
}
