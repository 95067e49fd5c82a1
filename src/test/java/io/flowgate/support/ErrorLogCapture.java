package io.flowgate.support;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records every ERROR (JUL SEVERE) logged anywhere in the process while it is open: a test that
 * provokes a user error asserts the service did not take it for a failure of its own.
 */
public final class ErrorLogCapture extends Handler implements AutoCloseable {

  private final List<String> errors = new ArrayList<>();
  private final Logger root = Logger.getLogger("");

  private ErrorLogCapture() {
    setLevel(Level.SEVERE);
  }

  public static ErrorLogCapture open() {
    ErrorLogCapture capture = new ErrorLogCapture();
    capture.root.addHandler(capture);
    return capture;
  }

  @Override
  public synchronized void publish(LogRecord record) {
    if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
      errors.add(record.getLoggerName() + ": " + record.getMessage());
    }
  }

  /** The ERROR lines logged since {@link #open()}, each as logger name and message pattern. */
  public synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
  }
}
