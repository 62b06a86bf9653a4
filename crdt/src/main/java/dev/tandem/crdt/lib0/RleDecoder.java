package dev.tandem.crdt.lib0;

/**
 * Reads {@link RleEncoder} output. When a value is not followed by a count, it is the last run
 * and is returned for every further read, as lib0 does; the caller bounds how often it reads.
 */
public final class RleDecoder {
  private final Lib0Decoder in;
  private int state;
  /** Remaining reads of {@link #state}; -1 means "forever". */
  private long count;

  public RleDecoder(Lib0Decoder in) {
    this.in = in;
  }

  public int read() {
    if (count == 0) {
      state = in.readUint8();
      count = in.hasContent() ? in.readVarUint() + 1 : -1;
    }
    if (count > 0) {
      count--;
    }
    return state;
  }

  /** True when every byte of the column was consumed and no counted run is left open. */
  public boolean exhausted() {
    return !in.hasContent() && count <= 0;
  }

  public Lib0Decoder source() {
    return in;
  }
}
