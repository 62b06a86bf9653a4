package dev.tandem.crdt.lib0;

import dev.tandem.crdt.MalformedDataException;

/**
 * Reads {@link StringEncoder} output: decodes the concatenation once and hands out slices by
 * UTF-16 length, which may split a surrogate pair back into the two lone halves it came from.
 */
public final class StringDecoder {
  private final UintOptRleDecoder lengths;
  private final Lib0Decoder in;
  private final String all;
  /** One char per byte: the column is pure ASCII, and so is every string it hands out. */
  private final boolean ascii;
  private int pos;

  public StringDecoder(Lib0Decoder in) {
    this.in = in;
    this.all = in.readVarString();
    this.ascii = in.lastStringAscii();
    this.lengths = new UintOptRleDecoder(in);
  }

  public boolean ascii() {
    return ascii;
  }

  public String read() {
    int at = in.errorOffset();
    long len = lengths.read();
    if (len > all.length() - pos) {
      throw new MalformedDataException(
          "string length " + len + " exceeds the string column", at);
    }
    int end = pos + (int) len;
    String s = all.substring(pos, end);
    pos = end;
    return s;
  }

  public boolean exhausted() {
    return lengths.exhausted() && pos == all.length();
  }
}
