package dev.tandem.crdt.differential;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One editing operation of the shared op vocabulary (crdt/oracle/OPS.md). Each op is applied in
 * its own transaction ({@link Transact} groups several). Indexes and lengths are UTF-16 code
 * units for text, items for arrays, children for XML. Values follow the Java lib0 model of
 * {@link Values}; a value may also be a {@link NewType} (a new nested shared type) or a {@link
 * SubDoc} where Yjs accepts one.
 */
public sealed interface Op {

  /** The peer's JSON form of this op. */
  Map<String, Object> toWire();

  /** The shared type the op edits ({@code null} for {@link Transact}). */
  Target target();

  // ------------------------------------------------------------------ text (Y.Text, Y.XmlText)

  /** {@code text.insert(index, text, attrs)}; attrs may be null (inherit formatting). */
  record TextInsert(Target target, int index, String text, Map<String, Object> attrs) implements Op {
    public Map<String, Object> toWire() {
      Map<String, Object> m = head("textInsert", target);
      m.put("index", (double) index);
      m.put("text", text);
      putAttrs(m, attrs);
      return m;
    }
  }

  /** {@code text.insertEmbed(index, embed, attrs ?? {})}; the embed is a JSON-like object. */
  record TextInsertEmbed(Target target, int index, Map<String, Object> embed, Map<String, Object> attrs)
      implements Op {
    public Map<String, Object> toWire() {
      Map<String, Object> m = head("textInsertEmbed", target);
      m.put("index", (double) index);
      m.put("embed", Values.toWire(embed));
      putAttrs(m, attrs);
      return m;
    }
  }

  /** {@code text.delete(index, length)}. */
  record TextDelete(Target target, int index, int length) implements Op {
    public Map<String, Object> toWire() {
      Map<String, Object> m = head("textDelete", target);
      m.put("index", (double) index);
      m.put("length", (double) length);
      return m;
    }
  }

  /** {@code text.format(index, length, attrs)}; a null attribute value removes the attribute. */
  record TextFormat(Target target, int index, int length, Map<String, Object> attrs) implements Op {
    public Map<String, Object> toWire() {
      Map<String, Object> m = head("textFormat", target);
      m.put("index", (double) index);
      m.put("length", (double) length);
      m.put("attrs", Values.toWire(attrs));
      return m;
    }
  }

  // ------------------------------------------------------------------ Y.Array

  /** {@code array.insert(index, values)}. */
  record ArrayInsert(Target target, int index, List<Object> values) implements Op {
    public Map<String, Object> toWire() {
      Map<String, Object> m = head("arrayInsert", target);
      m.put("index", (double) index);
      m.put("values", Values.toWire(values));
      return m;
    }
  }

  /** {@code array.push(values)}. */
  record ArrayPush(Target target, List<Object> values) implements Op {
    public Map<String, Object> toWire() {
      Map<String, Object> m = head("arrayPush", target);
      m.put("values", Values.toWire(values));
      return m;
    }
  }

  /** {@code array.delete(index, length)}. */
  record ArrayDelete(Target target, int index, int length) implements Op {
    public Map<String, Object> toWire() {
      Map<String, Object> m = head("arrayDelete", target);
      m.put("index", (double) index);
      m.put("length", (double) length);
      return m;
    }
  }

  // ------------------------------------------------------------------ Y.Map

  /** {@code map.set(key, value)}; value may be any lib0 value, a NewType or a SubDoc. */
  record MapSet(Target target, String key, Object value) implements Op {
    public Map<String, Object> toWire() {
      Map<String, Object> m = head("mapSet", target);
      m.put("key", key);
      m.put("value", Values.toWire(value));
      return m;
    }
  }

  /** {@code map.delete(key)}. */
  record MapDelete(Target target, String key) implements Op {
    public Map<String, Object> toWire() {
      Map<String, Object> m = head("mapDelete", target);
      m.put("key", key);
      return m;
    }
  }

  // ------------------------------------------------------------------ XML

  /**
   * {@code node.insert(index, [el])} where {@code el = new Y.XmlElement(nodeName)} got {@code
   * setAttribute(k, v)} for each attribute (in map order) before insertion.
   */
  record XmlInsertElement(Target target, int index, String nodeName, Map<String, String> attrs)
      implements Op {
    public Map<String, Object> toWire() {
      Map<String, Object> m = head("xmlInsertElement", target);
      m.put("index", (double) index);
      m.put("nodeName", nodeName);
      m.put("attrs", attrs == null ? new LinkedHashMap<>() : new LinkedHashMap<>(attrs));
      return m;
    }
  }

  /** {@code node.insert(index, [new Y.XmlText(text)])}; text null means an empty XmlText. */
  record XmlInsertText(Target target, int index, String text) implements Op {
    public Map<String, Object> toWire() {
      Map<String, Object> m = head("xmlInsertText", target);
      m.put("index", (double) index);
      m.put("text", text);
      return m;
    }
  }

  /** {@code node.delete(index, length)} on a fragment's or element's children. */
  record XmlDelete(Target target, int index, int length) implements Op {
    public Map<String, Object> toWire() {
      Map<String, Object> m = head("xmlDelete", target);
      m.put("index", (double) index);
      m.put("length", (double) length);
      return m;
    }
  }

  /** {@code element.setAttribute(name, value)}. */
  record XmlSetAttribute(Target target, String name, String value) implements Op {
    public Map<String, Object> toWire() {
      Map<String, Object> m = head("xmlSetAttribute", target);
      m.put("name", name);
      m.put("value", value);
      return m;
    }
  }

  /** {@code element.removeAttribute(name)}. */
  record XmlRemoveAttribute(Target target, String name) implements Op {
    public Map<String, Object> toWire() {
      Map<String, Object> m = head("xmlRemoveAttribute", target);
      m.put("name", name);
      return m;
    }
  }

  // ------------------------------------------------------------------ grouping

  /** Several ops in one transaction (one update event). */
  record Transact(List<Op> ops) implements Op {
    public Transact {
      ops = List.copyOf(ops);
    }

    public Target target() {
      return null;
    }

    public Map<String, Object> toWire() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "transact");
      List<Object> list = new ArrayList<>();
      for (Op op : ops) {
        list.add(op.toWire());
      }
      m.put("ops", list);
      return m;
    }
  }

  // ------------------------------------------------------------------ payload values

  /** Kinds of shared types an op can create as a value. */
  enum TypeKind {
    TEXT("text"),
    ARRAY("array"),
    MAP("map"),
    XML_FRAGMENT("xmlFragment"),
    XML_ELEMENT("xmlElement"),
    XML_TEXT("xmlText");

    public final String wire;

    TypeKind(String wire) {
      this.wire = wire;
    }
  }

  /**
   * A new shared type used as a value (array element, map value), created preliminary and
   * filled before insertion: text/xmlText init is a String, array init a List of values (which
   * may again hold NewTypes), map init a Map; xmlElement has nodeName and attrs.
   */
  record NewType(TypeKind kind, Object init, String nodeName, Map<String, String> attrs) {
    public static NewType text(String init) {
      return new NewType(TypeKind.TEXT, init, null, null);
    }

    public static NewType array(List<Object> init) {
      return new NewType(TypeKind.ARRAY, init, null, null);
    }

    public static NewType map(Map<String, Object> init) {
      return new NewType(TypeKind.MAP, init, null, null);
    }

    public static NewType xmlFragment() {
      return new NewType(TypeKind.XML_FRAGMENT, null, null, null);
    }

    public static NewType xmlElement(String nodeName, Map<String, String> attrs) {
      return new NewType(TypeKind.XML_ELEMENT, null, nodeName, attrs);
    }

    public static NewType xmlText(String init) {
      return new NewType(TypeKind.XML_TEXT, init, null, null);
    }

    Map<String, Object> toWire() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("$t", "new");
      m.put("type", kind.wire);
      // peer.mjs decodes a map init whole (decodeValue), so a map holding a "$t" key travels
      // escaped as {"$t": "obj", "v": ...} like any other object value
      if (init != null) {
        m.put("init", Values.toWire(init));
      }
      if (nodeName != null) {
        m.put("nodeName", nodeName);
      }
      if (attrs != null) {
        m.put("attrs", new LinkedHashMap<>(attrs));
      }
      return m;
    }
  }

  /** {@code new Y.Doc({guid, meta})} as a value; meta null means none. */
  record SubDoc(String guid, Object meta) {
    public SubDoc {
      Objects.requireNonNull(guid);
    }

    Map<String, Object> toWire() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("$t", "subdoc");
      m.put("guid", guid);
      if (meta != null) {
        m.put("meta", Values.toWire(meta));
      }
      return m;
    }
  }

  private static Map<String, Object> head(String type, Target target) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("target", target.toWire());
    return m;
  }

  private static void putAttrs(Map<String, Object> m, Map<String, Object> attrs) {
    if (attrs != null) {
      m.put("attrs", Values.toWire(attrs));
    }
  }
}
