package dev.tandem.crdt.doc;

import dev.tandem.crdt.struct.ContentDoc;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sub-document as stored in its parent (guid and options); Yjs's Y.Doc value in toJSON.
 * Sub-documents are kept and re-encoded intact; loading them is up to the caller.
 */
public record Subdoc(String guid, Map<String, Object> opts) {
  Subdoc(ContentDoc c) {
    this(c.guid(), c.opts());
  }

  /** A new sub-document value to insert: options as Yjs normalises them. */
  public static Subdoc create(String guid, boolean gc, boolean autoLoad, Object meta) {
    Map<String, Object> o = new LinkedHashMap<>();
    if (!gc) {
      o.put("gc", false);
    }
    if (autoLoad) {
      o.put("autoLoad", true);
    }
    if (meta != null) {
      o.put("meta", meta);
    }
    return new Subdoc(guid, o);
  }

  public boolean autoLoad() {
    return Boolean.TRUE.equals(opts.get("autoLoad"));
  }

  /** As Yjs creates a received sub-document: shouldLoad = opts.shouldLoad || opts.autoLoad. */
  public boolean shouldLoad() {
    Object s = opts.get("shouldLoad");
    return (s instanceof Boolean b && b) || autoLoad();
  }

  public boolean gc() {
    return !Boolean.FALSE.equals(opts.get("gc"));
  }

  /** {@code meta} option, or null. */
  public Object meta() {
    return opts.get("meta");
  }
}
