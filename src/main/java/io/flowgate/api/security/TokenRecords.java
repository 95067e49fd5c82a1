package io.flowgate.api.security;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flowgate.config.SecurityConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The stored side of every token, cached by token id for {@code flowgate.auth.cache-ttl}: a secret
 * is verified against the cached salt and hash without a store read, so a flood of wrong secrets
 * for one id costs nothing. An id with no active token (unknown, revoked or expired) is remembered
 * in a separate bounded cache of refused ids, so a flood of made-up ids costs one read per id and
 * cannot crowd real tokens out: the records cache holds only ids that exist. Both are Caffeine
 * caches (bounded, W-TinyLFU); concurrent misses of one id share a single read.
 */
@ApplicationScoped
public class TokenRecords {

  /** A token row: what verifying a secret and building a {@link Caller} need. */
  record TokenRecord(
      long id,
      byte[] salt,
      byte[] secretHash,
      boolean admin,
      Set<Long> projects,
      Set<String> scopes,
      Caller.RateLimit rateLimit,
      OffsetDateTime expiresAt,
      AtomicBoolean useUnrecorded) {

    boolean expired() {
      return expiresAt != null && !expiresAt.isAfter(OffsetDateTime.now());
    }

    /** True once per loaded record: its first verified use is written as the token's last use. */
    boolean firstUseOfThisLoad() {
      return useUnrecorded.compareAndSet(true, false);
    }

    Caller caller() {
      return new Caller("token:" + id, admin, projects, scopes, rateLimit);
    }
  }

  private final TokenRepository repository;
  private final AsyncLoadingCache<Long, Optional<TokenRecord>> records;
  private final Cache<Long, Boolean> refused;
  private final Counter reads;

  public TokenRecords(TokenRepository repository, SecurityConfig config, MeterRegistry registry) {
    this.repository = repository;
    this.records =
        Caffeine.newBuilder()
            .maximumSize(config.tokenCacheSize())
            .expireAfterWrite(config.tokenCacheTtl())
            .recordStats()
            .buildAsync((id, executor) -> read(id).subscribeAsCompletionStage());
    this.refused =
        Caffeine.newBuilder()
            .maximumSize(config.tokenCacheSize())
            .expireAfterWrite(config.tokenCacheTtl())
            .build();
    this.reads =
        Counter.builder("flowgate.auth.token.reads")
            .description("token rows read from the store to verify a presented token")
            .register(registry);
    CaffeineCacheMetrics.monitor(registry, records, "flowgate.tokens");
  }

  /** The record of token {@code id}, empty when no active token has that id. */
  Uni<Optional<TokenRecord>> get(long id) {
    if (refused.getIfPresent(id) != null) {
      return Uni.createFrom().item(Optional.empty());
    }
    CompletableFuture<Optional<TokenRecord>> shared = records.get(id);
    if (shared.isDone()) {
      return Uni.createFrom().completionStage(shared.copy());
    }
    // the shared future stays the cache's: a caller that goes away cancels only its copy, and
    // its continuation comes back on the caller's own event loop
    Context context = Vertx.currentContext();
    Uni<Optional<TokenRecord>> answer = Uni.createFrom().completionStage(shared.copy());
    return context == null ? answer : answer.emitOn(task -> context.runOnContext(v -> task.run()));
  }

  /** Whether token {@code id} is cached with a completed read: checking it costs no store read. */
  boolean cached(long id) {
    if (refused.getIfPresent(id) != null) {
      return true;
    }
    // through the map view: a look that is not a use leaves the hit and miss counts alone
    CompletableFuture<Optional<TokenRecord>> present = records.asMap().get(id);
    return present != null && present.isDone() && !present.isCompletedExceptionally();
  }

  /** Forgets token {@code id} on this replica (after its creation or revocation). */
  void invalidate(long id) {
    refused.invalidate(id);
    records.synchronous().invalidate(id);
  }

  // an id with no active token moves to the cache of refused ids at once, so that ids which exist
  // are the only entries of the records cache: a flood of made-up ids cannot crowd them out
  private void remember(long id, Optional<TokenRecord> record) {
    if (record.isEmpty()) {
      refused.put(id, Boolean.TRUE);
      records.synchronous().invalidate(id);
    }
  }

  private Uni<Optional<TokenRecord>> read(long id) {
    reads.increment();
    return repository
        .active(id)
        .map(row -> Optional.ofNullable(row).map(TokenRecords::record))
        .invoke(record -> remember(id, record));
  }

  private static TokenRecord record(TokenEntity row) {
    return new TokenRecord(
        row.id,
        row.salt,
        row.secretHash,
        row.admin,
        Set.copyOf(Arrays.asList(row.projectCodes)),
        Set.copyOf(Arrays.asList(row.scopes)),
        row.rateLimit(),
        row.expiresAt,
        new AtomicBoolean(true));
  }
}
