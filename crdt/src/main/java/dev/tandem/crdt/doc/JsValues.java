package dev.tandem.crdt.doc;

import dev.tandem.crdt.json.JsNumber;
import dev.tandem.crdt.lib0.JsObjectKeys;
import dev.tandem.crdt.lib0.Undefined;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JavaScript value semantics Yjs relies on: ===, object.equalFlat, String(v). */
final class JsValues {
  private JsValues() {}

  static boolean strictEquals(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof BigInteger x) {
      return b instanceof BigInteger y && x.equals(y);
    }
    if (a instanceof Number x) {
      return b instanceof Number y && !(b instanceof BigInteger) && x.doubleValue() == y.doubleValue();
    }
    if (a instanceof String || a instanceof Boolean) {
      return a.equals(b);
    }
    return false;
  }

  static boolean isObject(Object a) {
    return a instanceof Map || a instanceof List || a instanceof byte[] || a instanceof AbstractType || a instanceof Subdoc;
  }

  /** Yjs's equalAttrs: a === b, or both objects with flat-equal own properties. */
  static boolean equalAttrs(Object a, Object b) {
    if (strictEquals(a, b)) {
      return true;
    }
    if (isObject(a) && isObject(b)) {
      Map<String, Object> x = props(a);
      Map<String, Object> y = props(b);
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<String, Object> e : x.entrySet()) {
        Object v = e.getValue();
        if (!(v != Undefined.INSTANCE || y.containsKey(e.getKey()))) {
          return false;
        }
        Object w = y.containsKey(e.getKey()) ? y.get(e.getKey()) : Undefined.INSTANCE;
        if (!strictEquals(w, v) && !(v == Undefined.INSTANCE && w == Undefined.INSTANCE)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** Own enumerable properties in Object.keys order. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> props(Object o) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (o instanceof Map<?, ?> m) {
      for (String k : JsObjectKeys.ordered(m)) {
        out.put(k, m.get(k));
      }
    } else if (o instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        out.put(Integer.toString(i), l.get(i));
      }
    } else if (o instanceof byte[] b) {
      for (int i = 0; i < b.length; i++) {
        out.put(Integer.toString(i), (double) (b[i] & 0xff));
      }
    } else if (o instanceof String s) {
      for (int i = 0; i < s.length(); i++) {
        out.put(Integer.toString(i), String.valueOf(s.charAt(i)));
      }
    }
    return out;
  }

  /** JavaScript's String(v) for lib0 values and shared types. */
  static String string(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Undefined) {
      return "undefined";
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Boolean b) {
      return b.toString();
    }
    if (v instanceof BigInteger b) {
      return b.toString();
    }
    if (v instanceof Number n) {
      return JsNumber.toString(n.doubleValue());
    }
    if (v instanceof List<?> l) {
      return join(l);
    }
    if (v instanceof byte[] b) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < b.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(b[i] & 0xff);
      }
      return sb.toString();
    }
    if (v instanceof YText || v instanceof YXmlFragment) {
      return v.toString();
    }
    return "[object Object]";
  }

  private static String join(List<?> l) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      Object e = l.get(i);
      if (e != null && !(e instanceof Undefined)) {
        sb.append(string(e));
      }
    }
    return sb.toString();
  }
}
