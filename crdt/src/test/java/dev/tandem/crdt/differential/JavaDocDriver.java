package dev.tandem.crdt.differential;

import dev.tandem.crdt.doc.AbstractType;
import dev.tandem.crdt.doc.Doc;
import dev.tandem.crdt.doc.Subdoc;
import dev.tandem.crdt.doc.YArray;
import dev.tandem.crdt.doc.YMap;
import dev.tandem.crdt.doc.YText;
import dev.tandem.crdt.doc.YXmlElement;
import dev.tandem.crdt.doc.YXmlFragment;
import dev.tandem.crdt.doc.YXmlHook;
import dev.tandem.crdt.doc.YXmlText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link DocDriver} over the Java doc model ({@link Doc}); mirrors peer.mjs's op semantics. */
public final class JavaDocDriver implements DocDriver {
  private final Doc doc;
  private final Map<String, RootType> roots = new LinkedHashMap<>();
  private final String name;
  private List<byte[]> captureV1;
  private List<byte[]> captureV2;

  public JavaDocDriver(long clientId, boolean gc, Map<String, RootType> roots) {
    this.doc = new Doc(clientId, gc);
    this.name = "java-c" + clientId;
    doc.onUpdate((u, o, t) -> {
      if (captureV1 != null) {
        captureV1.add(u);
      }
    });
    doc.onUpdateV2((u, o, t) -> {
      if (captureV2 != null) {
        captureV2.add(u);
      }
    });
    roots.forEach(this::defineRoot);
  }

  public Doc doc() {
    return doc;
  }

  private AbstractType defineRoot(String name, RootType type) {
    RootType known = roots.get(name);
    if (known != null && known != type) {
      throw new IllegalArgumentException("root " + name + " is a " + known + ", not a " + type);
    }
    AbstractType t =
        switch (type) {
          case TEXT -> doc.getText(name);
          case ARRAY -> doc.getArray(name);
          case MAP -> doc.getMap(name);
          case XML_FRAGMENT -> doc.getXmlFragment(name);
        };
    roots.put(name, type);
    return t;
  }

  private AbstractType resolve(Target target) {
    AbstractType t = defineRoot(target.root(), target.rootType());
    for (Object step : target.path()) {
      Object next;
      if (step instanceof String key) {
        if (!(t instanceof YMap m)) {
          throw new IllegalArgumentException("path step " + key + " needs a map");
        }
        next = m.get(key);
      } else {
        int i = (Integer) step;
        if (t instanceof YArray a) {
          next = a.get(i);
        } else if (t instanceof YXmlFragment f) {
          next = f.get(i);
        } else {
          throw new IllegalArgumentException("path index needs an array or xml node");
        }
      }
      if (!(next instanceof AbstractType nt)) {
        throw new IllegalArgumentException("path step " + step + " does not reach a shared type");
      }
      t = nt;
    }
    return t;
  }

  @SuppressWarnings("unchecked")
  static Object decodeValue(Object v) {
    if (v instanceof Op.NewType nt) {
      return switch (nt.kind()) {
        case TEXT -> nt.init() == null ? new YText() : new YText(String.valueOf(nt.init()));
        case XML_TEXT -> nt.init() == null ? new YXmlText() : new YXmlText(String.valueOf(nt.init()));
        case ARRAY -> {
          YArray a = new YArray();
          if (nt.init() != null) {
            a.insert(0, decodeList((List<Object>) nt.init()));
          }
          yield a;
        }
        case MAP -> {
          YMap m = new YMap();
          if (nt.init() != null) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) nt.init()).entrySet()) {
              m.set(e.getKey(), decodeValue(e.getValue()));
            }
          }
          yield m;
        }
        case XML_FRAGMENT -> new YXmlFragment();
        case XML_ELEMENT -> {
          YXmlElement e = new YXmlElement(nt.nodeName() == null ? "UNDEFINED" : nt.nodeName());
          if (nt.attrs() != null) {
            nt.attrs().forEach(e::setAttribute);
          }
          yield e;
        }
      };
    }
    if (v instanceof Op.SubDoc sd) {
      return Subdoc.create(sd.guid(), true, false, sd.meta());
    }
    return v;
  }

  static List<Object> decodeList(List<Object> l) {
    List<Object> out = new ArrayList<>(l.size());
    for (Object o : l) {
      out.add(decodeValue(o));
    }
    return out;
  }

  private static <T> T expect(AbstractType t, Class<T> cls) {
    if (!cls.isInstance(t)) {
      throw new IllegalArgumentException("op needs a " + cls.getSimpleName() + ", target is " + t.getClass().getSimpleName());
    }
    return cls.cast(t);
  }

  private void applyOp(Op op) {
    if (op instanceof Op.Transact tx) {
      for (Op o : tx.ops()) {
        applyOp(o);
      }
      return;
    }
    AbstractType t = resolve(op.target());
    if (op instanceof Op.TextInsert o) {
        expect(t, YText.class).insert(o.index(), o.text(), o.attrs());
      } else if (op instanceof Op.TextInsertEmbed o) {
        expect(t, YText.class).insertEmbed(o.index(), decodeValue(o.embed()), o.attrs() == null ? Map.of() : o.attrs());
      } else if (op instanceof Op.TextDelete o) {
        expect(t, YText.class).delete(o.index(), o.length());
      } else if (op instanceof Op.TextFormat o) {
        expect(t, YText.class).format(o.index(), o.length(), o.attrs());
      } else if (op instanceof Op.ArrayInsert o) {
        expect(t, YArray.class).insert(o.index(), decodeList(o.values()));
      } else if (op instanceof Op.ArrayPush o) {
        expect(t, YArray.class).push(decodeList(o.values()));
      } else if (op instanceof Op.ArrayDelete o) {
        expect(t, YArray.class).delete(o.index(), o.length());
      } else if (op instanceof Op.MapSet o) {
        expect(t, YMap.class).set(o.key(), decodeValue(o.value()));
      } else if (op instanceof Op.MapDelete o) {
        expect(t, YMap.class).delete(o.key());
      } else if (op instanceof Op.XmlInsertElement o) {
        YXmlElement el = new YXmlElement(o.nodeName());
        if (o.attrs() != null) {
          o.attrs().forEach(el::setAttribute);
        }
        expect(t, YXmlFragment.class).insert(o.index(), List.of(el));
      } else if (op instanceof Op.XmlInsertText o) {
        expect(t, YXmlFragment.class).insert(o.index(), List.of(o.text() == null ? new YXmlText() : new YXmlText(o.text())));
      } else if (op instanceof Op.XmlDelete o) {
        expect(t, YXmlFragment.class).delete(o.index(), o.length());
      } else if (op instanceof Op.XmlSetAttribute o) {
        expect(t, YXmlElement.class).setAttribute(o.name(), o.value());
      } else if (op instanceof Op.XmlRemoveAttribute o) {
        expect(t, YXmlElement.class).removeAttribute(o.name());
      } else {
      throw new IllegalArgumentException("unknown op " + op);
    }
  }

  @Override
  public Emitted apply(Op op) {
    List<byte[]> v1 = new ArrayList<>();
    List<byte[]> v2 = new ArrayList<>();
    captureV1 = v1;
    captureV2 = v2;
    try {
      doc.transact(tr -> applyOp(op), "local");
    } finally {
      captureV1 = null;
      captureV2 = null;
    }
    return new Emitted(v1, v2);
  }

  @Override
  public void applyUpdate(byte[] update) {
    doc.applyUpdate(update, "remote");
  }

  @Override
  public void applyUpdateV2(byte[] update) {
    doc.applyUpdateV2(update, "remote");
  }

  @Override
  public byte[] encodeState(byte[] stateVector) {
    return stateVector == null ? doc.encodeStateAsUpdate() : doc.encodeStateAsUpdate(stateVector);
  }

  @Override
  public byte[] encodeStateV2(byte[] stateVector) {
    return stateVector == null ? doc.encodeStateAsUpdateV2() : doc.encodeStateAsUpdateV2(stateVector);
  }

  @Override
  public byte[] stateVector() {
    return doc.encodeStateVector();
  }

  static Object toModel(Object v) {
    if (v instanceof Subdoc s) {
      return new Values.SubDocRef(s.guid());
    }
    if (v instanceof AbstractType t) {
      return new Values.TypeRef(kind(t), toModel(t.toJSON()));
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        out.add(toModel(o));
      }
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put((String) e.getKey(), toModel(e.getValue()));
      }
      return out;
    }
    if (v instanceof Number n && !(v instanceof java.math.BigInteger)) {
      return n.doubleValue();
    }
    return v;
  }

  static String kind(AbstractType t) {
    if (t instanceof YXmlText) {
      return "xmlText";
    }
    if (t instanceof YText) {
      return "text";
    }
    if (t instanceof YArray) {
      return "array";
    }
    if (t instanceof YXmlHook) {
      return "xmlHook";
    }
    if (t instanceof YMap) {
      return "map";
    }
    if (t instanceof YXmlElement) {
      return "xmlElement";
    }
    if (t instanceof YXmlFragment) {
      return "xmlFragment";
    }
    return "untyped";
  }

  @Override
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, RootType> e : roots.entrySet()) {
      out.put(e.getKey(), toModel(defineRoot(e.getKey(), e.getValue()).toJSON()));
    }
    Map<String, Object> all = doc.toJSON();
    for (String n : doc.rootNames()) {
      if (!roots.containsKey(n) && all.get(n) == dev.tandem.crdt.lib0.Undefined.INSTANCE) {
        out.put(n, new Values.TypeRef("untyped", null));
      }
    }
    return out;
  }

  static Shape shapeOf(Object v) {
    if (!(v instanceof AbstractType)) {
      return null;
    }
    if (v instanceof YText t) {
      StringBuilder sb = new StringBuilder();
      for (Map<String, Object> d : t.toDelta()) {
        sb.append(d.get("insert") instanceof String s ? s : "\uFFFC");
      }
      return new Shape.Text(v instanceof YXmlText, sb.toString());
    }
    if (v instanceof YArray a) {
      List<Shape> items = new ArrayList<>();
      for (Object o : a.toArray()) {
        items.add(shapeOf(o));
      }
      return new Shape.Array(items);
    }
    if (v instanceof YMap m) {
      Map<String, Shape> entries = new LinkedHashMap<>();
      for (String k : dev.tandem.crdt.lib0.JsObjectKeys.ordered(m.entries())) {
        entries.put(k, shapeOf(m.get(k)));
      }
      return new Shape.MapShape(entries);
    }
    if (v instanceof YXmlElement e) {
      List<Shape> children = new ArrayList<>();
      for (Object o : e.toArray()) {
        children.add(shapeOf(o));
      }
      return new Shape.Xml(e.nodeName(), List.copyOf(e.getAttributes().keySet()), children);
    }
    if (v instanceof YXmlFragment f) {
      List<Shape> children = new ArrayList<>();
      for (Object o : f.toArray()) {
        children.add(shapeOf(o));
      }
      return new Shape.Xml(null, List.of(), children);
    }
    return new Shape.Untyped();
  }

  @Override
  public Map<String, Shape> shape() {
    Map<String, Shape> out = new LinkedHashMap<>();
    for (Map.Entry<String, RootType> e : new ArrayList<>(roots.entrySet())) {
      out.put(e.getKey(), shapeOf(defineRoot(e.getKey(), e.getValue())));
    }
    Map<String, Object> all = doc.toJSON();
    for (String n : doc.rootNames()) {
      if (!roots.containsKey(n) && all.get(n) == dev.tandem.crdt.lib0.Undefined.INSTANCE) {
        out.put(n, new Shape.Untyped());
      }
    }
    return out;
  }

  @Override
  public List<Map<String, Object>> textDelta(Target target) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> d : expect(resolve(target), YText.class).toDelta()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("insert", toModel(d.get("insert")));
      if (d.get("attributes") != null) {
        o.put("attributes", toModel(d.get("attributes")));
      }
      out.add(o);
    }
    return out;
  }

  @Override
  public String xmlString(Target target) {
    return resolve(target).toString();
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return name;
  }
}
