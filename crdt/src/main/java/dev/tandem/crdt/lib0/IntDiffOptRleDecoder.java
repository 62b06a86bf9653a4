package dev.tandem.crdt.lib0;

/**
 * Reads {@link IntDiffOptRleEncoder} output. The running value is kept within JavaScript's
 * safe-integer range; leaving it is reported as malformed (lib0 would silently lose precision).
 */
public final class IntDiffOptRleDecoder {

  private final Lib0Decoder in;
  private long state;
  private long count;
  private long diff;

  public IntDiffOptRleDecoder(Lib0Decoder in) {
    this.in = in;
  }

  public long read() {
    if (count == 0) {
      long encoded = in.readVarInt();
      // floor division: the low bit is the "count follows" flag, also for negative diffs
      diff = encoded >> 1; // arithmetic shift: floor(encoded / 2)
      count = 1;
      if ((encoded & 1) != 0) {
        count = in.readVarUint() + 2;
      }
    }
    long next = state + diff;
    if (next > Lib0Decoder.MAX_SAFE_INTEGER || next < -Lib0Decoder.MAX_SAFE_INTEGER) {
      throw in.error("delta-encoded integer leaves the safe range");
    }
    state = next;
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
