package dev.tandem.crdt.doc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** y-prosemirror 1.3.7's yXmlFragmentToProsemirrorJSON. */
final class ProsemirrorJson {
  private static final Pattern HASHED_MARK = Pattern.compile("(.*)(--[a-zA-Z0-9+/=]{8})$", Pattern.DOTALL);

  private ProsemirrorJson() {}

  static Map<String, Object> fragment(YXmlFragment f) {
    List<Object> content = new ArrayList<>();
    for (Object item : f.toArray()) {
      content.add(serialize(item));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("type", "doc");
    doc.put("content", content);
    return doc;
  }

  static String markName(String attr) {
    Matcher m = HASHED_MARK.matcher(attr);
    return m.matches() ? m.group(1) : attr;
  }

  private static Object serialize(Object item) {
    if (item instanceof YXmlText t) {
      List<Object> out = new ArrayList<>();
      for (Map<String, Object> d : t.toDelta()) {
        Map<String, Object> text = new LinkedHashMap<>();
        text.put("type", "text");
        text.put("text", d.get("insert") instanceof AbstractType at ? at.toJSON() : d.get("insert"));
        Object attributes = d.get("attributes");
        if (attributes instanceof Map<?, ?> am) {
          List<Object> marks = new ArrayList<>();
          for (Object k : am.keySet()) {
            Map<String, Object> mark = new LinkedHashMap<>();
            mark.put("type", markName((String) k));
            mark.put("attrs", am.get(k));
            marks.add(mark);
          }
          text.put("marks", marks);
        }
        out.add(text);
      }
      return out;
    }
    if (item instanceof YXmlElement e) {
      Map<String, Object> response = new LinkedHashMap<>();
      response.put("type", e.nodeName());
      Map<String, Object> attrs = e.getAttributes();
      if (!attrs.isEmpty()) {
        response.put("attrs", attrs);
      }
      List<Object> children = e.toArray();
      if (!children.isEmpty()) {
        List<Object> content = new ArrayList<>();
        for (Object c : children) {
          Object s = serialize(c);
          if (s instanceof List<?> l) {
            content.addAll(l);
          } else {
            content.add(s);
          }
        }
        response.put("content", content);
      }
      return response;
    }
    throw new IllegalStateException("unexpected node in an XML fragment: " + item);
  }
}
