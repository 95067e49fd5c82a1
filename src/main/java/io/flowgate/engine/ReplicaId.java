package io.flowgate.engine;

import java.util.Optional;
import java.util.UUID;

/** This process's replica id, the lease owner of what it claims: host name plus a random part. */
public final class ReplicaId {

  private static final String ID =
      Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElse("flowgate")
          + "-"
          + UUID.randomUUID().toString().substring(0, 8);

  private ReplicaId() {}

  public static String get() {
    return ID;
  }
}
