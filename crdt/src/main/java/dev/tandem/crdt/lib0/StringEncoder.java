package dev.tandem.crdt.lib0;

/**
 * lib0's {@code StringEncoder}: all strings are concatenated and written as one var-string,
 * followed by their UTF-16 lengths as a {@link UintOptRleEncoder} column. Because the
 * concatenation is UTF-8 encoded as a whole, a lone high surrogate at the end of one string and
 * a lone low surrogate at the start of the next are written as one valid pair, exactly as in
 * JavaScript.
 */
public final class StringEncoder {
  private final StringBuilder all = new StringBuilder();
  private final UintOptRleEncoder lengths = new UintOptRleEncoder();

  public void write(String s) {
    all.append(s);
    lengths.write(s.length());
  }

  public byte[] toByteArray() {
    byte[] lens = lengths.toByteArray();
    // exact for ASCII text, so that the buffer is handed out without a copy
    Lib0Encoder out =
        new Lib0Encoder(Lib0Encoder.varUintSize(all.length()) + all.length() + lens.length);
    out.writeVarString(all.toString());
    out.writeBytes(lens);
    return out.toByteArray();
  }
}
