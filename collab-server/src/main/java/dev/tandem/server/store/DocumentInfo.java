package dev.tandem.server.store;

import java.time.Instant;

/**
 * An entry of the document index: stored size (snapshot bytes + log bytes), number of log entries
 * not yet compacted, and the time of the last append (Redis clock).
 */
public record DocumentInfo(String name, long sizeBytes, long logEntries, Instant lastChange) {}
