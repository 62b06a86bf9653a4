package dev.tandem.crdt.update;

import dev.tandem.crdt.lib0.Lib0Encoder;

/** Delete-set fields (Yjs's DSEncoderV1/V2): v1 writes them plainly, v2 delta-encodes. */
public interface DsEncoder {
  /** The inline byte stream (v1: everything; v2: what is not column-encoded). */
  Lib0Encoder rest();

  void resetDsCurVal();

  void writeDsClock(long clock);

  void writeDsLen(long len);

  byte[] toByteArray();
}
