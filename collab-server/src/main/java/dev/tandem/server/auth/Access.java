package dev.tandem.server.auth;

/** What an authenticated client may do with a document. */
public enum Access {
  /** Sync both ways, send awareness. */
  READ_WRITE,
  /** Sync down and send awareness; updates are refused (Hocuspocus SyncStatus 0) and never stored. */
  READ_ONLY;

  public boolean canWrite() {
    return this == READ_WRITE;
  }
}
