package io.flowgate.embedded;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps the embedded PostgreSQL up until the service's shutdown is over: its stop waits for the
 * last shutdown observer, after the drain and the lease release, once the service has started.
 */
@ApplicationScoped
public class EmbeddedDatabaseLifecycle {

  // the last startup observer: when an earlier one refuses to start (a setting it cannot honour),
  // no shutdown observer will ever run, and the database must not wait for one
  void started(@Observes @Priority(Integer.MAX_VALUE) StartupEvent event) {
    EmbeddedDatabase.applicationStarted();
  }

  void stopped(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
    EmbeddedDatabase.applicationStopped();
  }
}
