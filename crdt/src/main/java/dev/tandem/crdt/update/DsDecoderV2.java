package dev.tandem.crdt.update;

import dev.tandem.crdt.lib0.Lib0Decoder;

/**
 * A v2 delete-set decoder (Yjs's DSDecoderV2): clock deltas, lengths minus one. Standalone over a
 * delete set's bytes, or over the rest stream of an update v2 ({@link UpdateDecoderV2} reads its
 * delete set through one).
 */
public final class DsDecoderV2 implements DsDecoder {
  private final Lib0Decoder rest;
  private long dsCurrVal;

  public DsDecoderV2(byte[] bytes) {
    this(new Lib0Decoder(bytes));
  }

  /** Reads the delete set from {@code rest}, shared with its owner. */
  DsDecoderV2(Lib0Decoder rest) {
    this.rest = rest;
  }

  @Override
  public Lib0Decoder rest() {
    return rest;
  }

  @Override
  public void resetDsCurVal() {
    dsCurrVal = 0;
  }

  @Override
  public long readDsClock() {
    dsCurrVal += rest.readVarUint();
    if (dsCurrVal > Lib0Decoder.MAX_SAFE_INTEGER) {
      throw rest.error("delete set clock out of range");
    }
    return dsCurrVal;
  }

  @Override
  public long readDsLen() {
    long len = rest.readVarUint() + 1;
    dsCurrVal += len;
    if (dsCurrVal > Lib0Decoder.MAX_SAFE_INTEGER) {
      throw rest.error("delete set clock out of range");
    }
    return len;
  }

  @Override
  public void finish() {
    if (rest.hasContent()) {
      throw rest.error(rest.remaining() + " trailing bytes after the delete set");
    }
  }
}
