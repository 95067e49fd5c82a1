package io.flowgate.support;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what the loggers under one name prefix (e.g. {@code io.micrometer}) log while it is open:
 * a test asserts a library did not warn about the service's use of it. It records every level the
 * loggers let through, so a test can also see a WARN a library turns into DEBUG after its first
 * time.
 */
public final class WarnLogCapture extends Handler implements AutoCloseable {

  private final String loggerPrefix;
  private final List<LogRecord> records = new ArrayList<>();
  private final Logger root = Logger.getLogger("");

  private WarnLogCapture(String loggerPrefix) {
    this.loggerPrefix = loggerPrefix;
    setLevel(Level.ALL);
  }

  /** Starts recording the lines of the loggers whose name starts with {@code loggerPrefix}. */
  public static WarnLogCapture open(String loggerPrefix) {
    WarnLogCapture capture = new WarnLogCapture(loggerPrefix);
    capture.root.addHandler(capture);
    return capture;
  }

  @Override
  public synchronized void publish(LogRecord record) {
    String logger = record.getLoggerName();
    if (logger != null && logger.startsWith(loggerPrefix)) {
      records.add(record);
    }
  }

  /** The WARN (or worse) lines logged since {@link #open}, each as logger name and message. */
  public synchronized List<String> warnings() {
    return records.stream()
        .filter(record -> record.getLevel().intValue() >= Level.WARNING.intValue())
        .map(WarnLogCapture::line)
        .toList();
  }

  /** Every line logged since {@link #open}, at any level, each as logger name and message. */
  public synchronized List<String> lines() {
    return records.stream().map(WarnLogCapture::line).toList();
  }

  private static String line(LogRecord record) {
    return record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
  }
}
