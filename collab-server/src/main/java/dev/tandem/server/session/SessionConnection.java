package dev.tandem.server.session;

import dev.tandem.crdt.protocol.AwarenessUpdate;

/**
 * One client's attachment to a document session (a y-websocket socket, or one document of a
 * Hocuspocus socket). The session calls these methods on its own event loop; implementations only
 * encode and write (Vert.x websocket writes are thread-safe), never block.
 */
public interface SessionConnection {
  /** Identifies the connection in logs and as the origin of its updates in Redis. */
  String id();

  /** Metrics label of the connection's protocol: {@code Metrics.Y_WEBSOCKET} or {@code Metrics.HOCUSPOCUS}. */
  String protocol();

  /** May this connection change the document? Read-only connections only sync down and send awareness. */
  boolean canWrite();

  void sendSyncStep1(byte[] stateVector);

  void sendSyncStep2(byte[] update);

  void sendUpdate(byte[] update);

  void sendAwareness(AwarenessUpdate update);

  /**
   * A relayed update, shared by every receiver of one broadcast: implementations write
   * {@code update.frame(key, encoder)} so the frame is encoded once per broadcast, not per socket.
   */
  default void relayUpdate(Outgoing<byte[]> update) {
    sendUpdate(update.payload());
  }

  /** A relayed awareness change, shared like {@link #relayUpdate}. */
  default void relayAwareness(Outgoing<AwarenessUpdate> update) {
    sendAwareness(update.payload());
  }

  /** Hocuspocus Stateless; a no-op for y-websocket. */
  void sendStateless(String payload);

  /** Hocuspocus SyncStatus (sent once the update is durable); a no-op for y-websocket. */
  void sendSyncStatus(boolean applied);

  /**
   * The session ends this connection (document deleted, document failed to load, server stopping).
   * The session has already forgotten the connection; the implementation closes the socket (or, for
   * a multiplexed Hocuspocus socket, just this document) with {@code code} and {@code reason}, cutting
   * the reason to what a close frame holds.
   */
  void closeBySession(int code, String reason);
}
