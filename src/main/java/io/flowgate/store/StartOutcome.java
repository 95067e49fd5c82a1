package io.flowgate.store;

/** The definitive result of one start that reached the store. */
public record StartOutcome(Kind kind, InstanceSummary instance) {

  /** How the idempotency key resolved. */
  public enum Kind {
    /** This request inserted the instance. */
    CREATED,
    /** An earlier request with the same key and body inserted it. */
    REPLAYED,
    /** The key was used before with a different body: 409. */
    KEY_REUSED
  }

  public static StartOutcome created(InstanceSummary instance) {
    return new StartOutcome(Kind.CREATED, instance);
  }
}
