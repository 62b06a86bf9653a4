package dev.tandem.crdt.doc;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Brings Java toJSON output and oracle fixture values into one comparable form. */
final class JsonNormalizer {
  private JsonNormalizer() {}

  static Object norm(Object v) {
    if (v instanceof Number n && !(v instanceof java.math.BigInteger)) {
      return n.doubleValue();
    }
    if (v instanceof byte[] b) {
      return Map.of("$bytes", Base64.getEncoder().encodeToString(b));
    }
    if (v instanceof Subdoc d) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("$oracle", "doc");
      m.put("guid", d.guid());
      m.put("meta", norm(d.meta()));
      m.put("autoLoad", d.autoLoad());
      m.put("shouldLoad", d.shouldLoad());
      return m;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object e : l) {
        out.add(norm(e));
      }
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put((String) e.getKey(), norm(e.getValue()));
      }
      return out;
    }
    if (v instanceof AbstractType t) {
      return norm(t.toJSON());
    }
    return v;
  }

  /** Like {@link #norm} but lone surrogates in strings become U+FFFD (what v2 transport does). */
  static Object wellFormed(Object v) {
    return dev.tandem.crdt.differential.Values.replaceLoneSurrogates(norm(v));
  }
}
