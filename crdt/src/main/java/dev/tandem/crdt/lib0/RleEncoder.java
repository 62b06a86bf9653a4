package dev.tandem.crdt.lib0;

/**
 * lib0's {@code RleEncoder} specialised to uint8 values: each run is written as the value
 * followed by (run length - 1) as a var-uint, except the last run, whose length is left out so
 * that the decoder repeats it forever. Used for the info and parent-info columns of update v2.
 */
public final class RleEncoder {
  private final Lib0Encoder out;

  public RleEncoder() {
    this(32);
  }

  /** @param capacity initial buffer size in bytes */
  public RleEncoder(int capacity) {
    out = new Lib0Encoder(Math.max(8, capacity));
  }
  private int state = -1;
  private long count;

  public void write(int value) {
    if (count > 0 && state == value) {
      count++;
      return;
    }
    if (count > 0) {
      out.writeVarUint(count - 1);
    }
    count = 1;
    out.writeUint8(value);
    state = value & 0xFF;
  }

  /** The encoded column; the open run is deliberately not terminated (see class comment). */
  public byte[] toByteArray() {
    return out.toByteArray();
  }

  /** The column's encoder (no copy); the open run stays unterminated. */
  public Lib0Encoder finish() {
    return out;
  }
}
