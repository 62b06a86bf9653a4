package dev.tandem.server.config;

/** Log line format: human-readable text or one JSON object per line (for log collectors). */
public enum LogFormat {
  TEXT,
  JSON
}
