package dev.tandem.crdt.protocol.hocuspocus;

/**
 * Hocuspocus message type numbers (server 3.x {@code types.ts} {@code MessageType}, provider
 * 4.x {@code types.ts}). Ping and Pong are provider 4.x additions and travel without a
 * document name.
 */
public final class HocuspocusMessageType {
  public static final int SYNC = 0;
  public static final int AWARENESS = 1;
  public static final int AUTH = 2;
  public static final int QUERY_AWARENESS = 3;
  public static final int SYNC_REPLY = 4;
  public static final int STATELESS = 5;
  public static final int BROADCAST_STATELESS = 6;
  public static final int CLOSE = 7;
  public static final int SYNC_STATUS = 8;
  public static final int PING = 9;
  public static final int PONG = 10;

  /** Auth sub-types ({@code @hocuspocus/common} {@code AuthMessageType}). */
  public static final int AUTH_TOKEN = 0;

  public static final int AUTH_PERMISSION_DENIED = 1;
  public static final int AUTH_AUTHENTICATED = 2;

  private HocuspocusMessageType() {}
}
