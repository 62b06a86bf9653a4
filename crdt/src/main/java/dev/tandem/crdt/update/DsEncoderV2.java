package dev.tandem.crdt.update;

import dev.tandem.crdt.lib0.Lib0Encoder;

/**
 * A v2 delete-set encoder (Yjs's DSEncoderV2): clock deltas, lengths minus one. Standalone, or
 * writing into the rest stream of an update v2 ({@link UpdateEncoderV2} writes its delete set
 * through one).
 */
public final class DsEncoderV2 implements DsEncoder {
  // An owner reference rather than a Supplier lambda: the first lambda a JVM links costs
  // milliseconds, which a one-off encode in a fresh process would pay.
  private final UpdateEncoderV2 owner;
  private final Lib0Encoder own;
  private long dsCurrVal;

  public DsEncoderV2() {
    owner = null;
    own = new Lib0Encoder(64);
  }

  /** Writes into the owner's current rest stream (the owner may swap it). */
  DsEncoderV2(UpdateEncoderV2 owner) {
    this.owner = owner;
    this.own = null;
  }

  @Override
  public Lib0Encoder rest() {
    return owner != null ? owner.rest() : own;
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
    rest().writeVarUint(diff);
  }

  @Override
  public void writeDsLen(long len) {
    if (len <= 0) {
      throw new IllegalArgumentException("empty delete range");
    }
    rest().writeVarUint(len - 1);
    dsCurrVal += len;
  }

  @Override
  public byte[] toByteArray() {
    return rest().toByteArray();
  }
}
