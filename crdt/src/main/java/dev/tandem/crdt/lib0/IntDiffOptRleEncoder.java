package dev.tandem.crdt.lib0;

/**
 * lib0's {@code IntDiffOptRleEncoder}: stores differences between consecutive values and
 * run-length encodes equal differences. Each run is one var-int {@code diff * 2 + hasCount}
 * followed, when the run is longer than one, by (run length - 2).
 */
public final class IntDiffOptRleEncoder {
  private final Lib0Encoder out;

  public IntDiffOptRleEncoder() {
    this(32);
  }

  /** @param capacity initial buffer size in bytes */
  public IntDiffOptRleEncoder(int capacity) {
    out = new Lib0Encoder(Math.max(8, capacity));
  }
  private long state;
  private long count;
  private long diff;

  public void write(long value) {
    if (count > 0 && diff == value - state) {
      state = value;
      count++;
    } else {
      flush();
      count = 1;
      diff = value - state;
      state = value;
    }
  }

  private void flush() {
    if (count > 0) {
      out.writeVarInt(diff * 2 + (count == 1 ? 0 : 1));
      if (count > 1) {
        out.writeVarUint(count - 2);
      }
    }
  }

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
