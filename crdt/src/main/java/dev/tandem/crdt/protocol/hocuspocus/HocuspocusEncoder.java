package dev.tandem.crdt.protocol.hocuspocus;

import dev.tandem.crdt.lib0.Lib0Encoder;
import dev.tandem.crdt.protocol.AwarenessCodec;
import dev.tandem.crdt.protocol.SyncCodec;

/**
 * Writes Hocuspocus frames byte for byte as server 3.4.4 ({@code OutgoingMessage.ts}) and
 * provider 4.8.0 ({@code OutgoingMessages/*.ts}) write them.
 */
public final class HocuspocusEncoder {
  private HocuspocusEncoder() {}

  public static byte[] encode(HocuspocusFrame frame) {
    Lib0Encoder encoder = new Lib0Encoder();
    if (frame instanceof HocuspocusFrame.Ping) {
      encoder.writeVarUint(HocuspocusMessageType.PING);
    } else if (frame instanceof HocuspocusFrame.Pong) {
      encoder.writeVarUint(HocuspocusMessageType.PONG);
    } else if (frame instanceof HocuspocusFrame.Document doc) {
      encoder.writeVarString(doc.documentKey());
      writeMessage(encoder, doc.message());
    }
    return encoder.toByteArray();
  }

  /** Convenience for a document frame. */
  public static byte[] encode(String documentKey, HocuspocusMessage message) {
    return encode(new HocuspocusFrame.Document(documentKey, message));
  }

  private static void writeMessage(Lib0Encoder encoder, HocuspocusMessage message) {
    encoder.writeVarUint(message.type());
    if (message instanceof HocuspocusMessage.Sync m) {
      SyncCodec.write(encoder, m.message());
    } else if (message instanceof HocuspocusMessage.SyncReply m) {
      SyncCodec.write(encoder, m.message());
    } else if (message instanceof HocuspocusMessage.Awareness m) {
      AwarenessCodec.writeNested(encoder, m.update());
    } else if (message instanceof HocuspocusMessage.Auth m) {
      writeAuth(encoder, m.auth());
    } else if (message instanceof HocuspocusMessage.Stateless m) {
      encoder.writeVarString(m.payload());
    } else if (message instanceof HocuspocusMessage.BroadcastStateless m) {
      encoder.writeVarString(m.payload());
    } else if (message instanceof HocuspocusMessage.Close m) {
      encoder.writeVarString(m.reason());
    } else if (message instanceof HocuspocusMessage.SyncStatus m) {
      encoder.writeVarUint(m.applied() ? 1 : 0);
    }
    // QueryAwareness and CloseRequest have no body
  }

  private static void writeAuth(Lib0Encoder encoder, HocuspocusAuth auth) {
    if (auth instanceof HocuspocusAuth.Token t) {
      encoder.writeVarUint(HocuspocusMessageType.AUTH_TOKEN).writeVarString(t.token());
      if (t.providerVersion() != null) {
        encoder.writeVarString(t.providerVersion());
      }
    } else if (auth instanceof HocuspocusAuth.TokenRequest) {
      encoder.writeVarUint(HocuspocusMessageType.AUTH_TOKEN);
    } else if (auth instanceof HocuspocusAuth.PermissionDenied d) {
      encoder.writeVarUint(HocuspocusMessageType.AUTH_PERMISSION_DENIED).writeVarString(d.reason());
    } else if (auth instanceof HocuspocusAuth.Authenticated a) {
      encoder
          .writeVarUint(HocuspocusMessageType.AUTH_AUTHENTICATED)
          .writeVarString(a.scope().wire());
    }
  }
}
