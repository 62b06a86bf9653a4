package dev.tandem.crdt.protocol;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.lib0.Lib0Decoder;
import dev.tandem.crdt.lib0.Lib0Encoder;

/**
 * Reads and writes {@link SyncMessage}s as y-protocols does: {@code writeVarUint(type)} then
 * {@code writeVarUint8Array(payload)}.
 */
public final class SyncCodec {
  private SyncCodec() {}

  public static Lib0Encoder write(Lib0Encoder encoder, SyncMessage message) {
    return encoder.writeVarUint(message.type()).writeVarUint8Array(message.payload());
  }

  public static byte[] encode(SyncMessage message) {
    return write(new Lib0Encoder(message.payload().length + 6), message).toByteArray();
  }

  /** Reads one sync message from the decoder's position, leaving anything after it. */
  public static SyncMessage read(Lib0Decoder decoder) {
    int at = decoder.position();
    int type = Frames.readType(decoder);
    if (type > SyncMessage.UPDATE) {
      throw new MalformedDataException("unknown sync message type " + type, at);
    }
    return SyncMessage.of(type, decoder.readVarUint8Array());
  }

  /** Decodes a buffer holding exactly one sync message. */
  public static SyncMessage decode(byte[] bytes) {
    Lib0Decoder decoder = new Lib0Decoder(bytes);
    SyncMessage message = read(decoder);
    Frames.requireEnd(decoder, "sync message");
    return message;
  }
}
