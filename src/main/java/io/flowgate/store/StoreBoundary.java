package io.flowgate.store;

import io.flowgate.config.StoreConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The fault-tolerance boundary of the store, and the only one: a SmallRye {@link TypedGuard} with
 * bounded retries with jitter for transient failures (safe, since a retried batch recognises its
 * own rows by request id), a circuit breaker named {@value #BREAKER}, and a timeout per attempt
 * ({@code flowgate.store.commit-timeout}). What a failure means for the client (nothing written, or
 * outcome unknown) is decided by the batch's owner, {@link BatchedInstanceWriter}. Built once, so
 * every batch shares the one breaker; at startup, so the breaker exists (and can be read and reset
 * by name) in either write mode before the first start.
 */
@Startup
@ApplicationScoped
public class StoreBoundary {

  /** Name of the breaker, as seen by health checks and the admission path. */
  public static final String BREAKER = "store";

  private final TypedGuard<Uni<List<StartOutcome>>> guard;

  public StoreBoundary(StoreConfig store, Config config) {
    this.guard = build(StoreGuardSettings.from(config), store);
  }

  /** The guard every batch attempt runs through. */
  public TypedGuard<Uni<List<StartOutcome>>> guard() {
    return guard;
  }

  static TypedGuard<Uni<List<StartOutcome>>> build(StoreGuardSettings s, StoreConfig store) {
    return TypedGuard.create(new TypeLiteral<Uni<List<StartOutcome>>>() {})
        .withDescription(BREAKER)
        .withRetry()
        .maxRetries(s.maxRetries())
        .delay(s.retryDelay().toMillis(), ChronoUnit.MILLIS)
        .jitter(s.retryJitter().toMillis(), ChronoUnit.MILLIS)
        .retryOn(List.of(TransientStoreException.class, TimeoutException.class))
        .done()
        .withCircuitBreaker()
        .name(BREAKER)
        .requestVolumeThreshold(s.requestVolumeThreshold())
        .failureRatio(s.failureRatio())
        .delay(s.breakerDelay().toMillis(), ChronoUnit.MILLIS)
        .successThreshold(s.successThreshold())
        .failOn(
            List.of(
                TransientStoreException.class,
                StoreFailures.StoreRefusedException.class,
                TimeoutException.class))
        .done()
        .withTimeout()
        .duration(store.commitTimeout().toMillis(), ChronoUnit.MILLIS)
        .done()
        .build();
  }
}
