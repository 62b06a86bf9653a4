package dev.tandem.crdt.protocol.hocuspocus;

import java.util.Objects;

/**
 * One Hocuspocus WebSocket frame: either a connection-level Ping/Pong (a single byte, no
 * document name) or a document frame (var-string document key, then a message).
 */
public sealed interface HocuspocusFrame {
  /** Separator of provider 4.x's {@code sessionAwareness} routing key: {@code name\0sessionId}. */
  char ROUTING_KEY_SEPARATOR = '\0';

  /** Server to client, the single byte 9. The provider answers with {@link Pong}. */
  record Ping() implements HocuspocusFrame {}

  /** Client to server, the single byte 10. */
  record Pong() implements HocuspocusFrame {}

  /**
   * A frame addressed to a document.
   *
   * @param documentKey the first var-string exactly as sent: the document name, or with
   *     provider 4.x's {@code sessionAwareness: true} the routing key {@code name + "\0" +
   *     sessionId}. Replies must echo the key exactly, since the provider routes by it.
   */
  record Document(String documentKey, HocuspocusMessage message) implements HocuspocusFrame {
    public Document {
      Objects.requireNonNull(documentKey, "documentKey");
      Objects.requireNonNull(message, "message");
    }

    /** The document name: the key up to the first NUL, or the whole key. */
    public String documentName() {
      int i = documentKey.indexOf(ROUTING_KEY_SEPARATOR);
      return i < 0 ? documentKey : documentKey.substring(0, i);
    }

    /** The session id after the first NUL, or null when the key has none. */
    public String sessionId() {
      int i = documentKey.indexOf(ROUTING_KEY_SEPARATOR);
      return i < 0 ? null : documentKey.substring(i + 1);
    }
  }
}
