package dev.tandem.server.session;

/**
 * The in-memory state of one document as a session needs it. Implementations are not thread-safe:
 * a {@link DocumentSession} calls them one at a time, in order (on its event loop, or for large
 * documents on a worker thread while the session waits for the result; see
 * {@link DocumentSession}).
 *
 * <p>Today's implementation is {@link MergedUpdateState} (the document kept as one merged Yjs v1
 * update, built on the crdt module's update-level operations). A {@code Doc}-backed implementation
 * (applyUpdate / encodeStateAsUpdate / encodeStateVector) will replace it without touching the
 * session.
 */
public interface DocumentState {
  /**
   * Applies a Yjs v1 update.
   *
   * @return false when the update brought nothing new (everything it holds was already there)
   * @throws dev.tandem.crdt.MalformedDataException when the update does not decode; nothing changed
   */
  boolean apply(byte[] update);

  /**
   * Everything the holder of {@code stateVector} is missing, as one v1 update; the whole document
   * when {@code stateVector} is null.
   *
   * @throws dev.tandem.crdt.MalformedDataException when the state vector does not decode
   */
  byte[] encodeStateAsUpdate(byte[] stateVector);

  /** The document's state vector (y-protocols SyncStep1 payload). */
  byte[] stateVector();

  /** Approximate size in bytes; the session offloads work on documents at least {@code session.offload-bytes} big. */
  long sizeBytes();

  /** True when the document holds nothing (no structs, no deletions). */
  boolean isEmpty();
}
