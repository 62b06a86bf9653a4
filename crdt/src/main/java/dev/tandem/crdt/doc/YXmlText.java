package dev.tandem.crdt.doc;

import dev.tandem.crdt.struct.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Y.XmlText: rich text inside an XML tree; toString renders formats as nested tags. */
public final class YXmlText extends YText {
  public YXmlText() {}

  public YXmlText(String initial) {
    super(initial);
  }

  @Override
  int typeRef() {
    return ContentType.Y_XML_TEXT;
  }

  @Override
  AbstractType copyEmpty() {
    return new YXmlText();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Map<String, Object> op : toDelta()) {
      List<String[]> nodes = new ArrayList<>();
      List<List<String[]>> nodeAttrs = new ArrayList<>();
      Object attributes = op.get("attributes");
      List<Object[]> nested = new ArrayList<>();
      if (attributes instanceof Map<?, ?> am) {
        for (Object nodeNameObj : am.keySet()) {
          String nodeName = (String) nodeNameObj;
          List<String[]> attrs = new ArrayList<>();
          for (Map.Entry<String, Object> e : JsValues.props(am.get(nodeName)).entrySet()) {
            attrs.add(new String[] {e.getKey(), JsValues.string(e.getValue())});
          }
          attrs.sort((x, y) -> x[0].compareTo(y[0]) < 0 ? -1 : 1);
          nested.add(new Object[] {nodeName, attrs});
        }
      }
      nested.sort((x, y) -> ((String) x[0]).compareTo((String) y[0]) < 0 ? -1 : 1);
      StringBuilder str = new StringBuilder();
      for (Object[] node : nested) {
        str.append('<').append((String) node[0]);
        @SuppressWarnings("unchecked")
        List<String[]> attrs = (List<String[]>) node[1];
        for (String[] a : attrs) {
          str.append(' ').append(a[0]).append("=\"").append(a[1]).append('"');
        }
        str.append('>');
      }
      str.append(JsValues.string(op.get("insert")));
      for (int i = nested.size() - 1; i >= 0; i--) {
        str.append("</").append((String) nested.get(i)[0]).append('>');
      }
      out.append(str);
    }
    return out.toString();
  }

  @Override
  public Object toJSON() {
    return toString();
  }
}
