package dev.tandem.crdt.lib0;

/**
 * lib0's {@code StringEncoder}: all strings are concatenated and written as one var-string,
 * followed by their UTF-16 lengths as a {@link UintOptRleEncoder} column. Because the
 * concatenation is UTF-8 encoded as a whole, a lone high surrogate at the end of one string and
 * a lone low surrogate at the start of the next are written as one valid pair, exactly as in
 * JavaScript.
 *
 * <p>Strings are UTF-8 encoded as they arrive (no intermediate concatenated String); the one
 * case where the whole differs from the sum of its parts, the pair split across two strings, is
 * repaired by rewriting the replacement character written for the high half.
 */
public final class StringEncoder {
  private final Lib0Encoder bytes;
  private final UintOptRleEncoder lengths;
  /** Byte offset of the U+FFFD written for a lone high surrogate ending the last string, or -1. */
  private int pendingHighAt = -1;
  private char pendingHigh;

  public StringEncoder() {
    this(64);
  }

  /** @param capacity expected UTF-8 size of all strings */
  public StringEncoder(int capacity) {
    this(capacity, Math.max(32, capacity / 16));
  }

  /**
   * @param capacity expected UTF-8 size of all strings
   * @param lengthsCapacity expected size of the length column
   */
  public StringEncoder(int capacity, int lengthsCapacity) {
    bytes = new Lib0Encoder(capacity);
    lengths = new UintOptRleEncoder(lengthsCapacity);
  }

  public void write(String s) {
    int n = s.length();
    lengths.write(n);
    if (n == 0) {
      return;
    }
    if (pendingHighAt >= 0 && Character.isLowSurrogate(s.charAt(0))) {
      bytes.truncate(pendingHighAt);
      bytes.writeUtf8(new String(new char[] {pendingHigh, s.charAt(0)}));
      bytes.writeUtf8(s.substring(1));
    } else {
      bytes.writeUtf8(s);
    }
    char last = s.charAt(n - 1);
    if (Character.isHighSurrogate(last)) {
      pendingHighAt = bytes.length() - 3;
      pendingHigh = last;
    } else {
      pendingHighAt = -1;
    }
  }

  /** {@link #write} for a string the caller knows to be pure ASCII: no surrogate can pair up. */
  public void writeAscii(String s) {
    lengths.write(s.length());
    bytes.writeAscii(s);
    pendingHighAt = -1;
  }

  public byte[] toByteArray() {
    Lib0Encoder lens = lengths.finish();
    int n = bytes.length();
    Lib0Encoder out = new Lib0Encoder(Lib0Encoder.varUintSize(n) + n + lens.length());
    out.writeVarEncoded(bytes);
    out.writeEncoded(lens);
    return out.toByteArray();
  }

  /** Size of {@link #toByteArray()}'s result; call once, after the last write. */
  public int finishedLength() {
    int n = bytes.length();
    return Lib0Encoder.varUintSize(n) + n + lengths.finish().length();
  }

  /** Writes the column into {@code out} without intermediate copies; after {@link #finishedLength}. */
  public void writeFinishedTo(Lib0Encoder out) {
    out.writeVarEncoded(bytes);
    out.writeEncoded(lengths.finish());
  }
}
