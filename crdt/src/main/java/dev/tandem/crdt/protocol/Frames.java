package dev.tandem.crdt.protocol;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.lib0.Lib0Decoder;

/** Small helpers shared by the message decoders: whole-frame strictness. */
public final class Frames {
  private Frames() {}

  /**
   * Fails unless the decoder has consumed every byte. The peers we speak to (y-protocols,
   * y-websocket, Hocuspocus) put exactly one message in each frame and never pad, so leftover
   * bytes mean the frame is not what it claims to be.
   */
  public static void requireEnd(Lib0Decoder decoder, String what) {
    if (decoder.hasContent()) {
      throw decoder.error(decoder.remaining() + " unexpected trailing bytes after " + what);
    }
  }

  /** Reads a var-uint message type as an int (a huge type is simply unknown). */
  public static int readType(Lib0Decoder decoder) {
    int at = decoder.position();
    long v = decoder.readVarUint();
    if (v > Integer.MAX_VALUE) {
      throw new MalformedDataException("unknown message type " + v, at);
    }
    return (int) v;
  }
}
