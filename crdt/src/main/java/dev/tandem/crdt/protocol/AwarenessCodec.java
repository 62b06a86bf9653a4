package dev.tandem.crdt.protocol;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.lib0.Lib0Decoder;
import dev.tandem.crdt.lib0.Lib0Encoder;
import dev.tandem.crdt.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Awareness update wire format, as y-protocols' {@code encodeAwarenessUpdate} writes it:
 * var-uint entry count, then per entry var-uint client id, var-uint clock, var-string JSON
 * state. Decoding checks every state is text {@code JSON.parse} accepts, since receivers run
 * {@code JSON.parse} on it and a relayed bad state would break every peer.
 */
public final class AwarenessCodec {
  /** Smallest possible entry: 1-byte id, 1-byte clock, 1-byte length + "0". */
  private static final int MIN_ENTRY_BYTES = 4;

  private AwarenessCodec() {}

  public static Lib0Encoder write(Lib0Encoder encoder, AwarenessUpdate update) {
    encoder.writeVarUint(update.entries().size());
    for (AwarenessEntry e : update.entries()) {
      encoder.writeVarUint(e.clientId()).writeVarUint(e.clock()).writeVarString(e.stateJson());
    }
    return encoder;
  }

  public static byte[] encode(AwarenessUpdate update) {
    return write(new Lib0Encoder(), update).toByteArray();
  }

  /** Reads one awareness update from the decoder's position. */
  public static AwarenessUpdate read(Lib0Decoder decoder) {
    int count = decoder.readCount(MIN_ENTRY_BYTES);
    List<AwarenessEntry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long clientId = decoder.readVarUint();
      long clock = decoder.readVarUint();
      int at = decoder.position();
      String state = decoder.readVarString();
      try {
        Json.validateIsNull(state);
      } catch (MalformedDataException e) {
        throw new MalformedDataException(
            "awareness state of client " + clientId + " is not JSON: " + e.getMessage(), at, e);
      }
      entries.add(new AwarenessEntry(clientId, clock, state));
    }
    return new AwarenessUpdate(entries);
  }

  /** Decodes a buffer holding exactly one awareness update. */
  public static AwarenessUpdate decode(byte[] bytes) {
    Lib0Decoder decoder = new Lib0Decoder(bytes);
    AwarenessUpdate update = read(decoder);
    Frames.requireEnd(decoder, "awareness update");
    return update;
  }

  /**
   * Writes the update as a var-uint8-array, as y-websocket and Hocuspocus embed awareness
   * updates (the counterpart of {@link #readNested}).
   */
  public static Lib0Encoder writeNested(Lib0Encoder encoder, AwarenessUpdate update) {
    return encoder.writeVarEncoded(write(new Lib0Encoder(), update));
  }

  /**
   * Reads a var-uint8-array (as y-websocket and Hocuspocus embed awareness updates) and
   * decodes its content, whole, as an awareness update. Offsets in errors are relative to the
   * outer decoder.
   */
  public static AwarenessUpdate readNested(Lib0Decoder decoder) {
    int len = decoder.readVarUintAsInt();
    int start = decoder.position();
    int abs = decoder.skip(len);
    Lib0Decoder inner = new Lib0Decoder(decoder.array(), abs, len);
    try {
      AwarenessUpdate update = read(inner);
      Frames.requireEnd(inner, "awareness update");
      return update;
    } catch (MalformedDataException e) {
      throw new MalformedDataException(
          "bad awareness update: " + e.getMessage(), start + e.offset(), e);
    }
  }
}
