package dev.tandem.crdt.struct;

/**
 * Text; one unit per UTF-16 code unit, exactly like JavaScript string indexes, so a string
 * may hold lone surrogates after a split or after update v2 decoding.
 */
public final class ContentString implements Content {
  public static final int REF = 4;
  private static final String REPLACEMENT = "\uFFFD";
  /**
   * The text, unless {@link #sb} holds it. Items typed character by character are merged into
   * their left neighbour once per transaction; appending to a builder keeps that linear (Java
   * string concatenation would copy the whole run each time, unlike JavaScript's rope strings).
   */
  private String str;
  private StringBuilder sb;
  /**
   * The text is known to be pure ASCII (it was decoded from one byte per char), so encoders
   * may copy it instead of UTF-8 encoding it. False means "not known", not "not ASCII".
   */
  private boolean ascii;

  public ContentString(String str) {
    this.str = str;
  }

  /** @param ascii the caller knows every char of {@code str} to be below U+0080 */
  public ContentString(String str, boolean ascii) {
    this.str = str;
    this.ascii = ascii;
  }

  public String string() {
    if (sb != null) {
      str = sb.toString();
      sb = null;
    }
    return str;
  }

  /** Appends the text to {@code out} without materialising a merged run. */
  public void appendTo(StringBuilder out) {
    if (sb != null) {
      out.append(sb);
    } else {
      out.append(str);
    }
  }

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public int getLength() {
    return sb != null ? sb.length() : str.length();
  }

  @Override
  public boolean isCountable() {
    return true;
  }

  @Override
  public ContentString copy() {
    return new ContentString(string(), ascii);
  }

  /**
   * Splitting inside a surrogate pair replaces both halves with U+FFFD, as Yjs does (its
   * issue #248), so neither part encodes an unpaired surrogate.
   */
  @Override
  public ContentString splice(int offset) {
    ContentString right;
    if (sb != null) {
      right = new ContentString(sb.substring(offset), ascii);
      sb.setLength(offset);
      if (offset > 0 && Character.isHighSurrogate(sb.charAt(offset - 1))) {
        sb.setCharAt(offset - 1, '\uFFFD');
        right.str = REPLACEMENT + right.str.substring(Math.min(1, right.str.length()));
      }
      return right;
    }
    right = new ContentString(str.substring(offset), ascii);
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
    if (sb == null) {
      sb = new StringBuilder(Math.max(16, 2 * (str.length() + r.getLength()))).append(str);
      str = null;
    }
    ascii &= r.ascii;
    r.appendTo(sb);
    return true;
  }

  /** An offset write does not repair a split pair (Yjs does not either). */
  @Override
  public void write(StructEncoder encoder, int offset) {
    String s = sb != null ? sb.substring(offset) : offset == 0 ? str : str.substring(offset);
    if (ascii) {
      encoder.writeAsciiString(s);
    } else {
      encoder.writeString(s);
    }
  }

  @Override
  public String toString() {
    return "String(" + string() + ")";
  }
}
