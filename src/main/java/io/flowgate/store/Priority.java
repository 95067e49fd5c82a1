package io.flowgate.store;

/** Instance priority; higher lanes of the admission queue drain first. */
public enum Priority {
  HIGHEST,
  HIGH,
  MEDIUM,
  LOW,
  LOWEST
}
