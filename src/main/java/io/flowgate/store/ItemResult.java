package io.flowgate.store;

import io.flowgate.problem.FlowgateException;

/** The result of one item of a batch: an outcome, or an error that concerns this item only. */
public record ItemResult(StartOutcome outcome, FlowgateException error) {

  public static ItemResult of(StartOutcome outcome) {
    return new ItemResult(outcome, null);
  }

  public static ItemResult failed(FlowgateException error) {
    return new ItemResult(null, error);
  }
}
