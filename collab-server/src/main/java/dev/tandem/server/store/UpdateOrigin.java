package dev.tandem.server.store;

import java.util.Objects;

/** Who produced an update: the node id and the connection (or "rest", "compaction", ...) on it. */
public record UpdateOrigin(String node, String connection) {
  public UpdateOrigin {
    Objects.requireNonNull(node);
    Objects.requireNonNull(connection);
  }
}
