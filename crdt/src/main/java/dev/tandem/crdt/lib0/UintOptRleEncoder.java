package dev.tandem.crdt.lib0;

/**
 * lib0's {@code UintOptRleEncoder}: a run of one value is written as a plain var-int; a longer
 * run as the value with the var-int sign bit set (negative zero included, which is why
 * {@link Lib0Encoder#writeVarInt(long, boolean)} takes the sign separately) followed by
 * (run length - 2).
 */
public final class UintOptRleEncoder {
  private final Lib0Encoder out;

  public UintOptRleEncoder() {
    this(32);
  }

  /** @param capacity initial buffer size in bytes */
  public UintOptRleEncoder(int capacity) {
    out = new Lib0Encoder(Math.max(8, capacity));
  }
  private long state;
  private long count;

  public void write(long value) {
    if (count > 0 && state == value) {
      count++;
    } else {
      flush();
      count = 1;
      state = value;
    }
  }

  private void flush() {
    if (count > 0) {
      out.writeVarInt(state, count > 1);
      if (count > 1) {
        out.writeVarUint(count - 2);
      }
    }
  }

  /** Flushes the open run and returns the column. Call once, after the last write. */
  public byte[] toByteArray() {
    return finish().toByteArray();
  }

  /** Flushes the open run and returns the column's encoder (no copy). Call once, at the end. */
  public Lib0Encoder finish() {
    flush();
    count = 0;
    return out;
  }
}
