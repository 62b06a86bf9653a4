package dev.tandem.crdt.differential;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lightweight view of a document's shared types, enough to generate valid ops: text content
 * (UTF-16, embeds as U+FFFC), array items, map keys, XML children and attribute names. Non-type
 * values (array elements, map values) are {@code null} entries. Wire form (peer {@code shape}):
 * {@code {"k":"text"|"xmlText","s":..}}, {@code {"k":"array","items":[..]}}, {@code
 * {"k":"map","entries":{..}}}, {@code {"k":"xmlFragment","children":[..]}}, {@code
 * {"k":"xmlElement","name":..,"attrs":[..],"children":[..]}}, {@code {"k":"untyped"}}.
 */
public sealed interface Shape {

  /** Y.Text or Y.XmlText content (U+FFFC stands for each embed). */
  record Text(boolean xml, String content) implements Shape {}

  /** Y.Array; {@code items.get(i)} is null where the element is not a shared type. */
  record Array(List<Shape> items) implements Shape {}

  /** Y.Map; values null where the value is not a shared type. */
  record MapShape(Map<String, Shape> entries) implements Shape {}

  /** Y.XmlFragment (nodeName null) or Y.XmlElement. */
  record Xml(String nodeName, List<String> attrs, List<Shape> children) implements Shape {}

  /** A type Yjs knows only as AbstractType (root never defined). */
  record Untyped() implements Shape {}

  /** Parses one node of the peer's shape output; null stays null. */
  @SuppressWarnings("unchecked")
  static Shape fromWire(Object w) {
    if (w == null) {
      return null;
    }
    Map<String, Object> m = (Map<String, Object>) w;
    String k = (String) m.get("k");
    return switch (k) {
      case "text", "xmlText" -> new Text(k.equals("xmlText"), (String) m.get("s"));
      case "array" -> new Array(list((List<Object>) m.get("items")));
      case "map" -> {
        Map<String, Shape> entries = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) m.get("entries")).entrySet()) {
          entries.put(e.getKey(), fromWire(e.getValue()));
        }
        yield new MapShape(Collections.unmodifiableMap(entries));
      }
      case "xmlFragment" -> new Xml(null, List.of(), list((List<Object>) m.get("children")));
      case "xmlElement" ->
          new Xml(
              (String) m.get("name"),
              List.copyOf((List<String>) (List<?>) m.get("attrs")),
              list((List<Object>) m.get("children")));
      default -> new Untyped();
    };
  }

  private static List<Shape> list(List<Object> ws) {
    List<Shape> out = new ArrayList<>();
    for (Object w : ws) {
      out.add(fromWire(w));
    }
    return Collections.unmodifiableList(out);
  }

  /** Parses the peer's {@code {root: node}} shape of a whole document. */
  @SuppressWarnings("unchecked")
  static Map<String, Shape> docFromWire(Object w) {
    Map<String, Shape> roots = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : ((Map<String, Object>) w).entrySet()) {
      Object v = e.getValue();
      roots.put(e.getKey(), v instanceof Map<?, ?> m && m.containsKey("$t") ? new Untyped() : fromWire(v));
    }
    return roots;
  }
}
