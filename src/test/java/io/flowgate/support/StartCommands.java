package io.flowgate.support;

import io.flowgate.store.StartCommand;
import io.flowgate.store.StartOptions;
import java.util.UUID;

/** Start commands for tests that drive admission, the writer or the commit spans directly. */
public final class StartCommands {

  private StartCommands() {}

  /**
   * A start of workflow 1 in project 1 with default options, {@code key} as its Idempotency-Key, a
   * fresh request id, and no trace.
   */
  public static StartCommand keyed(String key) {
    return new StartCommand(
        UUID.randomUUID(),
        1,
        1,
        1,
        key,
        false,
        "v2:f",
        StartOptions.DEFAULTS,
        null,
        null,
        null,
        null);
  }
}
