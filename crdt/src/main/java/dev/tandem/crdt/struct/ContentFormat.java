package dev.tandem.crdt.struct;

/**
 * A formatting mark in rich text: attribute {@code key} takes {@code value} from here on
 * ({@code null} ends the attribute). Occupies one non-countable unit.
 */
public final class ContentFormat extends UnitContent {
  public static final int REF = 6;
  private final String key;
  private final Object value;

  public ContentFormat(String key, Object value) {
    this.key = key;
    this.value = value;
  }

  public String key() {
    return key;
  }

  public Object value() {
    return value;
  }

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public boolean isCountable() {
    return false;
  }

  @Override
  public ContentFormat copy() {
    return new ContentFormat(key, value);
  }

  @Override
  public void write(StructEncoder encoder, int offset) {
    encoder.writeKey(key);
    encoder.writeJSON(value);
  }

  @Override
  public String toString() {
    return "Format(" + key + "=" + value + ")";
  }
}
