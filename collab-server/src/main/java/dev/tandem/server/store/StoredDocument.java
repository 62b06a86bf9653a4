package dev.tandem.server.store;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A document as read from Redis in one atomic step: the compacted snapshot (null when none), the
 * last stream id it covers (null when none), and every log entry after that id, in log order.
 * Applying {@link #updates()} in order (or in any order: Yjs updates commute) yields the document.
 */
public record StoredDocument(Buffer snapshot, String coveredId, List<LogEntry> entries) {
  public StoredDocument {
    entries = List.copyOf(entries);
  }

  /** Snapshot (if any) followed by every entry's update. */
  public List<Buffer> updates() {
    List<Buffer> out = new ArrayList<>(entries.size() + 1);
    if (snapshot != null) {
      out.add(snapshot);
    }
    for (LogEntry e : entries) {
      out.add(e.update());
    }
    return out;
  }

  /** True when nothing is stored for the document. */
  public boolean isEmpty() {
    return snapshot == null && entries.isEmpty();
  }
}
