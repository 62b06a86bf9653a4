package dev.tandem.crdt.update;

import dev.tandem.crdt.lib0.Lib0Encoder;
import java.util.function.Supplier;

/**
 * A v2 delete-set encoder (Yjs's DSEncoderV2): clock deltas, lengths minus one. Standalone, or
 * writing into the rest stream of an update v2 ({@link UpdateEncoderV2} writes its delete set
 * through one).
 */
public final class DsEncoderV2 implements DsEncoder {
  private final Supplier<Lib0Encoder> rest;
  private long dsCurrVal;

  public DsEncoderV2() {
    Lib0Encoder own = new Lib0Encoder(64);
    rest = () -> own;
  }

  /** Writes into the encoder {@code rest} supplies at each write (its owner may swap it). */
  DsEncoderV2(Supplier<Lib0Encoder> rest) {
    this.rest = rest;
  }

  @Override
  public Lib0Encoder rest() {
    return rest.get();
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
