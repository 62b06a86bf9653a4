package dev.tandem.crdt.protocol.ywebsocket;

import dev.tandem.crdt.protocol.AuthMessage;
import dev.tandem.crdt.protocol.AwarenessUpdate;
import dev.tandem.crdt.protocol.SyncMessage;
import java.util.Objects;

/**
 * One y-websocket frame (y-websocket's {@code messageSync} 0, {@code messageAwareness} 1,
 * {@code messageAuth} 2, {@code messageQueryAwareness} 3): a var-uint type then the body. The
 * document is named by the WebSocket URL, not in the frame. See {@link YWebsocketCodec}.
 */
public sealed interface YWebsocketMessage {
  int SYNC = 0;
  int AWARENESS = 1;
  int AUTH = 2;
  int QUERY_AWARENESS = 3;

  int type();

  /** Type 0 followed by a y-protocols sync message. */
  record Sync(SyncMessage message) implements YWebsocketMessage {
    public Sync {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public int type() {
      return SYNC;
    }
  }

  /** Type 1 followed by a var-uint8-array holding an awareness update. */
  record Awareness(AwarenessUpdate update) implements YWebsocketMessage {
    public Awareness {
      Objects.requireNonNull(update, "update");
    }

    @Override
    public int type() {
      return AWARENESS;
    }
  }

  /** Type 2 followed by a y-protocols auth message (server to client only). */
  record Auth(AuthMessage message) implements YWebsocketMessage {
    public Auth {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public int type() {
      return AUTH;
    }
  }

  /** Type 3 with no body: asks the receiver to send all awareness states it knows. */
  record QueryAwareness() implements YWebsocketMessage {
    @Override
    public int type() {
      return QUERY_AWARENESS;
    }
  }
}
