package io.flowgate.store;

import io.smallrye.mutiny.Uni;
import java.util.List;

/** Writes one batch in one transaction; one outcome per command, in order. */
@FunctionalInterface
public interface BatchStore {

  /**
   * One attempt at the batch: {@code attempt} counts from 1, {@code afterLockTimeout} shortens the
   * lock wait of a part split off after a lock timeout. Fails with a failure sorted by {@link
   * StoreFailures#classify}.
   */
  Uni<List<StartOutcome>> write(List<StartCommand> batch, int attempt, boolean afterLockTimeout);
}
