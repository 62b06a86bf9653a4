package dev.tandem.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/** A logging handler that keeps every record it is given (add it to a logger, read {@link #records}). */
public final class LogCapture extends Handler {
  private final List<LogRecord> records = new ArrayList<>();

  @Override
  public synchronized void publish(LogRecord r) {
    records.add(r);
  }

  /** A copy of the records kept so far, in order. */
  public synchronized List<LogRecord> records() {
    return List.copyOf(records);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
