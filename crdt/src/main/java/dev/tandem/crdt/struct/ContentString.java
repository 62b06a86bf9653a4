package dev.tandem.crdt.struct;

/**
 * Text; one unit per UTF-16 code unit, exactly like JavaScript string indexes, so a string
 * may hold lone surrogates after a split or after update v2 decoding.
 */
public final class ContentString implements Content {
  public static final int REF = 4;
  private static final String REPLACEMENT = "\uFFFD";
  private String str;

  public ContentString(String str) {
    this.str = str;
  }

  public String string() {
    return str;
  }

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public int getLength() {
    return str.length();
  }

  @Override
  public boolean isCountable() {
    return true;
  }

  @Override
  public ContentString copy() {
    return new ContentString(str);
  }

  /**
   * Splitting inside a surrogate pair replaces both halves with U+FFFD, as Yjs does (its
   * issue #248), so neither part encodes an unpaired surrogate.
   */
  @Override
  public ContentString splice(int offset) {
    ContentString right = new ContentString(str.substring(offset));
    str = str.substring(0, offset);
    if (offset > 0 && Character.isHighSurrogate(str.charAt(offset - 1))) {
      str = str.substring(0, offset - 1) + REPLACEMENT;
      right.str = REPLACEMENT + right.str.substring(Math.min(1, right.str.length()));
    }
    return right;
  }

  @Override
  public boolean mergeWith(Content right) {
    if (!(right instanceof ContentString r)) {
      return false;
    }
    str = str + r.str;
    return true;
  }

  /** An offset write does not repair a split pair (Yjs does not either). */
  @Override
  public void write(StructEncoder encoder, int offset) {
    encoder.writeString(offset == 0 ? str : str.substring(offset));
  }

  @Override
  public String toString() {
    return "String(" + str + ")";
  }
}
