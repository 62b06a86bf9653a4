package dev.tandem.crdt.struct;

import java.util.Map;

/**
 * A sub-document (one unit): its guid and options. Options are kept in the normalised form
 * Yjs writes ({@code gc: false}, {@code autoLoad: true}, {@code meta} - each only when it
 * differs from the default, in that order); see {@link Contents#readDoc}.
 */
public final class ContentDoc extends UnitContent {
  public static final int REF = 9;
  private final String guid;
  private final Map<String, Object> opts;

  public ContentDoc(String guid, Map<String, Object> opts) {
    this.guid = guid;
    this.opts = opts;
  }

  public String guid() {
    return guid;
  }

  public Map<String, Object> opts() {
    return opts;
  }

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public ContentDoc copy() {
    return new ContentDoc(guid, opts);
  }

  @Override
  public void write(StructEncoder encoder, int offset) {
    encoder.writeString(guid);
    encoder.writeAny(opts);
  }

  @Override
  public String toString() {
    return "Doc(" + guid + ", " + opts + ")";
  }
}
