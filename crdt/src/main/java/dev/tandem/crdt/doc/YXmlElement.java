package dev.tandem.crdt.doc;

import dev.tandem.crdt.struct.ContentType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Y.XmlElement: a named node with attributes and children. */
public final class YXmlElement extends YXmlFragment {
  private final String nodeName;
  private Map<String, Object> prelimAttrs = new LinkedHashMap<>();

  public YXmlElement(String nodeName) {
    this.nodeName = nodeName;
  }

  public String nodeName() {
    return nodeName;
  }

  @Override
  int typeRef() {
    return ContentType.Y_XML_ELEMENT;
  }

  @Override
  String wireName() {
    return nodeName;
  }

  @Override
  AbstractType copyEmpty() {
    return new YXmlElement(nodeName);
  }

  @Override
  void integrate(Doc y, DocItem item) {
    super.integrate(y, item);
    Map<String, Object> p = prelimAttrs;
    prelimAttrs = null;
    for (Map.Entry<String, Object> e : p.entrySet()) {
      setAttribute(e.getKey(), e.getValue());
    }
  }

  public void setAttribute(String name, Object value) {
    if (doc == null) {
      prelimAttrs.put(name, value);
      return;
    }
    doc.transact(tr -> mapSet(tr, name, value));
  }

  public void removeAttribute(String name) {
    if (doc == null) {
      prelimAttrs.remove(name);
      return;
    }
    doc.transact(tr -> mapDelete(tr, name));
  }

  public Object getAttribute(String name) {
    return doc == null ? prelimAttrs.get(name) : mapGet(name);
  }

  public boolean hasAttribute(String name) {
    return doc == null ? prelimAttrs.containsKey(name) : mapHas(name);
  }

  /** Attributes in JavaScript object-key order. */
  public Map<String, Object> getAttributes() {
    return doc == null ? new LinkedHashMap<>(prelimAttrs) : mapGetAll();
  }

  @Override
  public String toString() {
    Map<String, Object> attrs = getAttributes();
    List<String> keys = new ArrayList<>(attrs.keySet());
    keys.sort(null);
    StringBuilder sb = new StringBuilder();
    for (String k : keys) {
      sb.append(sb.length() > 0 ? " " : "").append(k).append("=\"").append(JsValues.string(attrs.get(k))).append('"');
    }
    String name = nodeName.toLowerCase(Locale.ROOT);
    String a = sb.length() > 0 ? " " + sb : "";
    return "<" + name + a + ">" + super.toString() + "</" + name + ">";
  }
}
