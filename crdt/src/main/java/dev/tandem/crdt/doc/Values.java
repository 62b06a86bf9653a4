package dev.tandem.crdt.doc;

import dev.tandem.crdt.struct.Content;
import dev.tandem.crdt.struct.ContentAny;
import dev.tandem.crdt.struct.ContentBinary;
import dev.tandem.crdt.struct.ContentDoc;
import dev.tandem.crdt.struct.ContentEmbed;
import dev.tandem.crdt.struct.ContentJson;
import dev.tandem.crdt.struct.ContentString;
import java.util.ArrayList;
import java.util.List;

/** The user-visible values of a content (Yjs's getContent()). */
final class Values {
  private Values() {}

  static List<Object> of(Content c) {
    if (c instanceof ContentAny a) {
      return a.values();
    }
    if (c instanceof ContentString s) {
      String str = s.string();
      List<Object> out = new ArrayList<>(str.length());
      for (int i = 0; i < str.length(); i++) {
        out.add(String.valueOf(str.charAt(i)));
      }
      return out;
    }
    if (c instanceof TypeContent t) {
      return DocItem.list(t.type);
    }
    if (c instanceof ContentEmbed e) {
      return DocItem.list(e.embed());
    }
    if (c instanceof ContentBinary b) {
      return DocItem.list(b.bytes());
    }
    if (c instanceof ContentDoc d) {
      return DocItem.list(new Subdoc(d));
    }
    if (c instanceof ContentJson j) {
      List<Object> out = new ArrayList<>(j.getLength());
      for (int i = 0; i < j.getLength(); i++) {
        out.add(j.value(i));
      }
      return out;
    }
    return List.of();
  }

  /** The last value (map entries). */
  static Object last(Content c) {
    if (c instanceof ContentAny a) {
      return a.values().get(a.values().size() - 1);
    }
    List<Object> v = of(c);
    return v.isEmpty() ? dev.tandem.crdt.lib0.Undefined.INSTANCE : v.get(v.size() - 1);
  }

  /** Yjs's toJSON of a value inside a type: nested types become their JSON. */
  static Object json(Object v) {
    return v instanceof AbstractType t ? t.toJSON() : v;
  }
}
