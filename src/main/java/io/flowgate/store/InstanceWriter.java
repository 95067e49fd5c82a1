package io.flowgate.store;

import io.smallrye.mutiny.Uni;
import java.util.List;

/** Turns admitted start commands into committed instances; one result per command, in order. */
public interface InstanceWriter {

  /** Never fails: a failure becomes the error of the items it concerns. */
  Uni<List<ItemResult>> commit(List<StartCommand> batch);

  /** Largest batch this writer takes at once. */
  int maxBatch();

  /** Batches this writer runs at once. */
  int maxInFlight();

  /** Longest an idle writer waits for a batch to fill. */
  long lingerMillis();
}
