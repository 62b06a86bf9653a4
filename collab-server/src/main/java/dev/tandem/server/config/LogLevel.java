package dev.tandem.server.config;

import java.util.logging.Level;

/** Minimum level logged by the server. */
public enum LogLevel {
  ERROR(Level.SEVERE),
  WARN(Level.WARNING),
  INFO(Level.INFO),
  DEBUG(Level.FINE),
  TRACE(Level.FINEST);

  private final Level jul;

  LogLevel(Level jul) {
    this.jul = jul;
  }

  public Level jul() {
    return jul;
  }
}
