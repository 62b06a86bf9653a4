package dev.tandem.crdt.struct;

import dev.tandem.crdt.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Legacy JSON content (Yjs's ContentJSON): array elements stored as JSON text, one unit each.
 * Elements are kept as canonical {@code JSON.stringify} text, or the literal
 * {@link #UNDEFINED} for JavaScript's {@code undefined}, because that is exactly what both
 * update formats write.
 */
public final class ContentJson implements Content {
  public static final int REF = 2;
  public static final String UNDEFINED = "undefined";
  private List<String> texts;

  /** @param texts canonical JSON texts (or {@link #UNDEFINED}); taken over, not copied */
  public ContentJson(List<String> texts) {
    this.texts = texts;
  }

  public List<String> texts() {
    return texts;
  }

  /** Element {@code i} parsed into the lib0 {@code any} model. */
  public Object value(int i) {
    String t = texts.get(i);
    return UNDEFINED.equals(t) ? dev.tandem.crdt.lib0.Undefined.INSTANCE : Json.parse(t);
  }

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public int getLength() {
    return texts.size();
  }

  @Override
  public boolean isCountable() {
    return true;
  }

  @Override
  public ContentJson copy() {
    return new ContentJson(texts);
  }

  @Override
  public ContentJson splice(int offset) {
    ContentJson right = new ContentJson(new ArrayList<>(texts.subList(offset, texts.size())));
    texts = new ArrayList<>(texts.subList(0, offset));
    return right;
  }

  @Override
  public boolean mergeWith(Content right) {
    if (!(right instanceof ContentJson r)) {
      return false;
    }
    List<String> merged = new ArrayList<>(texts.size() + r.texts.size());
    merged.addAll(texts);
    merged.addAll(r.texts);
    texts = merged;
    return true;
  }

  @Override
  public void write(StructEncoder encoder, int offset) {
    int len = texts.size();
    encoder.writeLen(len - offset);
    for (int i = offset; i < len; i++) {
      encoder.writeString(texts.get(i));
    }
  }

  @Override
  public String toString() {
    return "JSON" + texts;
  }
}
