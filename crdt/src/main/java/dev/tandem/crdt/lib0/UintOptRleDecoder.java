package dev.tandem.crdt.lib0;

/** Reads {@link UintOptRleEncoder} output; never yields a negative value. */
public final class UintOptRleDecoder {
  private final Lib0Decoder in;
  private long state;
  private long count;

  public UintOptRleDecoder(Lib0Decoder in) {
    this.in = in;
  }

  public long read() {
    if (count == 0) {
      long raw = in.readVarIntRaw();
      state = raw >>> 1;
      count = 1;
      if (Lib0Decoder.rawNegative(raw)) {
        // lib0 negates the value back to its magnitude; the sign only announced a count.
        count = in.readVarUint() + 2;
      }
    }
    count--;
    return state;
  }

  public boolean exhausted() {
    return !in.hasContent() && count == 0;
  }

  public Lib0Decoder source() {
    return in;
  }
}
