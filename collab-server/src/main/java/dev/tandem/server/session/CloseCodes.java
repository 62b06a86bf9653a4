package dev.tandem.server.session;

/** Websocket close codes the server uses; documented in docs/protocol.md. */
public final class CloseCodes {
  private CloseCodes() {}

  /** Server shutting down (clients reconnect). */
  public static final int GOING_AWAY = 1001;
  /**
   * Service restart: the node is draining (SIGTERM); the socket was closed on purpose, staggered, and
   * the client should reconnect (through the gateway, to another node).
   */
  public static final int SERVICE_RESTART = 1012;
  /** A frame that does not parse as a protocol message. */
  public static final int PROTOCOL_ERROR = 1002;
  /** A well-formed message carrying data the server cannot accept (text frame, undecodable Yjs update or state vector). */
  public static final int UNSUPPORTED_DATA = 1003;
  /** Policy: too many frames before authentication. */
  public static final int POLICY_VIOLATION = 1008;
  /** A message larger than {@code ws.max-message-size}. */
  public static final int MESSAGE_TOO_BIG = 1009;
  /** The document could not be loaded from Redis. */
  public static final int INTERNAL_ERROR = 1011;
  /**
   * Try again later: Redis is unavailable and the document could not be loaded, or this node's write
   * buffer is full and an update was refused (nothing of it was kept). Clients reconnect and resync.
   */
  public static final int TRY_AGAIN_LATER = 1013;
  /** The socket's token expired (and was not refreshed). */
  public static final int UNAUTHENTICATED = 4401;
  /** The socket may no longer use the document (an administrator disconnected it). */
  public static final int FORBIDDEN = 4403;
  /** Nothing (not even a pong) received for three keep-alive periods. */
  public static final int KEEPALIVE_TIMEOUT = 4408;
  /** The document was deleted (REST DELETE). */
  public static final int DOCUMENT_DELETED = 4410;
  /** An update would grow the document past {@code guards.max-document-size} (y-websocket; nothing applied). */
  public static final int DOCUMENT_TOO_LARGE = 4413;
  /** The client sent more than {@code guards.message-rate} / {@code guards.byte-rate} allow (beyond the burst). */
  public static final int RATE_LIMITED = 4429;
  /** Slow consumer: more than {@code guards.outbound-queue} bytes queued for the socket. */
  public static final int SLOW_CONSUMER = 4508;
}
