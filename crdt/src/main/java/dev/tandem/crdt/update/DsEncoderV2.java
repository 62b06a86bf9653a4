package dev.tandem.crdt.update;

import dev.tandem.crdt.lib0.Lib0Encoder;

/** A standalone v2 delete-set encoder (Yjs's DSEncoderV2): clock deltas, lengths minus one. */
public final class DsEncoderV2 implements DsEncoder {
  private final Lib0Encoder rest = new Lib0Encoder(64);
  private long dsCurrVal;

  @Override
  public Lib0Encoder rest() {
    return rest;
  }

  @Override
  public void resetDsCurVal() {
    dsCurrVal = 0;
  }

  @Override
  public void writeDsClock(long clock) {
    long diff = clock - dsCurrVal;
    if (diff < 0) {
      throw new IllegalArgumentException("delete set ranges are not sorted");
    }
    dsCurrVal = clock;
    rest.writeVarUint(diff);
  }

  @Override
  public void writeDsLen(long len) {
    if (len <= 0) {
      throw new IllegalArgumentException("empty delete range");
    }
    rest.writeVarUint(len - 1);
    dsCurrVal += len;
  }

  @Override
  public byte[] toByteArray() {
    return rest.toByteArray();
  }
}
