package dev.tandem.server.store;

/**
 * Outcome of one compaction pass.
 *
 * @param status what happened
 * @param coveredId the stream id the snapshot covers afterwards (null when there is none)
 * @param mergedUpdates how many log updates were merged into the snapshot
 * @param trimmed how many log entries were removed
 */
public record CompactionResult(Status status, String coveredId, int mergedUpdates, long trimmed) {
  public enum Status {
    /** A new snapshot was written (and, unless asked otherwise, the covered entries trimmed). */
    COMPACTED,
    /** Only entries an existing snapshot already covered were trimmed (leftovers of a crash). */
    TRIMMED,
    /** The log had nothing to compact. */
    NOTHING,
    /** Someone else compacted or deleted the document meanwhile; nothing was written. */
    CONFLICT
  }
}
