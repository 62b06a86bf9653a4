package dev.tandem.server.session;

/**
 * The in-memory state of one document as a session needs it. Implementations are not thread-safe:
 * a {@link DocumentSession} calls them one at a time, in order (on its event loop, or for large
 * inputs on a worker thread while the session waits for the result; see {@link DocumentSession}).
 * The implementation is {@link DocState} (a crdt {@code Doc}).
 */
public interface DocumentState {
  /**
   * Applies a Yjs v1 update.
   *
   * @return what the update brought (a v1 update to relay and store; it may be the input itself),
   *     or null when it brought nothing new (everything it holds was already there)
   * @throws dev.tandem.crdt.MalformedDataException when the update does not decode or cannot be
   *     applied; nothing changed
   */
  byte[] apply(byte[] update);

  /**
   * Whether applying {@code update} would bring nothing new (every struct and deletion it holds is
   * already in the document). Used only when the write buffer is full, to let resyncing clients
   * through; it may cost O(document).
   *
   * @throws dev.tandem.crdt.MalformedDataException when the update does not decode
   */
  boolean contains(byte[] update);

  /**
   * Everything the holder of {@code stateVector} is missing, as one v1 update; the whole document
   * when {@code stateVector} is null.
   *
   * @throws dev.tandem.crdt.MalformedDataException when the state vector does not decode
   */
  byte[] encodeStateAsUpdate(byte[] stateVector);

  /** The document's state vector (y-protocols SyncStep1 payload). */
  byte[] stateVector();

  /** Approximate size in bytes; the session moves whole-document work on documents at least {@code session.offload-bytes} big off the event loop. */
  long sizeBytes();

  /** True when the document holds nothing (no structs, no deletions). */
  boolean isEmpty();
}
