package dev.tandem.crdt.struct;

import java.util.ArrayList;
import java.util.List;

/** A run of lib0 {@code any} values (array elements or a map value), one unit each. */
public final class ContentAny implements Content {
  public static final int REF = 8;
  private List<Object> values;

  /** @param values taken over, not copied */
  public ContentAny(List<Object> values) {
    this.values = values;
  }

  /** The values (live list; do not modify unless you own this content). */
  public List<Object> values() {
    return values;
  }

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public int getLength() {
    return values.size();
  }

  @Override
  public boolean isCountable() {
    return true;
  }

  @Override
  public ContentAny copy() {
    return new ContentAny(values);
  }

  @Override
  public ContentAny splice(int offset) {
    ContentAny right = new ContentAny(new ArrayList<>(values.subList(offset, values.size())));
    values = new ArrayList<>(values.subList(0, offset));
    return right;
  }

  @Override
  public boolean mergeWith(Content right) {
    if (!(right instanceof ContentAny r)) {
      return false;
    }
    List<Object> merged = new ArrayList<>(values.size() + r.values.size());
    merged.addAll(values);
    merged.addAll(r.values);
    values = merged;
    return true;
  }

  @Override
  public void write(StructEncoder encoder, int offset) {
    int len = values.size();
    encoder.writeLen(len - offset);
    for (int i = offset; i < len; i++) {
      encoder.writeAny(values.get(i));
    }
  }

  @Override
  public String toString() {
    return "Any" + values;
  }
}
