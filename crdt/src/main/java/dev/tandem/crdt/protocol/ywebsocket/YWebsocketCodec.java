package dev.tandem.crdt.protocol.ywebsocket;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.lib0.Lib0Decoder;
import dev.tandem.crdt.lib0.Lib0Encoder;
import dev.tandem.crdt.protocol.AuthCodec;
import dev.tandem.crdt.protocol.AwarenessCodec;
import dev.tandem.crdt.protocol.Frames;
import dev.tandem.crdt.protocol.SyncCodec;

/**
 * Encodes and decodes y-websocket frames. y-websocket sends exactly one message per WebSocket
 * frame with nothing after it, so {@link #decode} rejects trailing bytes, an unknown type, or
 * an awareness payload with bytes after its last entry.
 */
public final class YWebsocketCodec {
  private YWebsocketCodec() {}

  public static byte[] encode(YWebsocketMessage message) {
    Lib0Encoder encoder = new Lib0Encoder();
    encoder.writeVarUint(message.type());
    if (message instanceof YWebsocketMessage.Sync sync) {
      SyncCodec.write(encoder, sync.message());
    } else if (message instanceof YWebsocketMessage.Awareness awareness) {
      AwarenessCodec.writeNested(encoder, awareness.update());
    } else if (message instanceof YWebsocketMessage.Auth auth) {
      AuthCodec.write(encoder, auth.message());
    }
    return encoder.toByteArray();
  }

  public static YWebsocketMessage decode(byte[] frame) {
    Lib0Decoder decoder = new Lib0Decoder(frame);
    int at = decoder.position();
    int type = Frames.readType(decoder);
    YWebsocketMessage message =
        switch (type) {
          case YWebsocketMessage.SYNC -> new YWebsocketMessage.Sync(SyncCodec.read(decoder));
          case YWebsocketMessage.AWARENESS -> new YWebsocketMessage.Awareness(
              AwarenessCodec.readNested(decoder));
          case YWebsocketMessage.AUTH -> new YWebsocketMessage.Auth(AuthCodec.read(decoder));
          case YWebsocketMessage.QUERY_AWARENESS -> new YWebsocketMessage.QueryAwareness();
          default -> throw new MalformedDataException("unknown y-websocket message type " + type, at);
        };
    Frames.requireEnd(decoder, "y-websocket message");
    return message;
  }
}
