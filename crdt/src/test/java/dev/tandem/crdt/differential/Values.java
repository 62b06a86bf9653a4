package dev.tandem.crdt.differential;

import dev.tandem.crdt.json.Json;
import dev.tandem.crdt.lib0.Undefined;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts between the Java lib0 {@code any} model and the peer's lossless JSON "wire" encoding
 * (crdt/oracle/OPS.md, "Value encoding").
 *
 * <p>Java model: {@code null}, {@link Boolean}, {@link Double} (any {@link Number} on input),
 * {@link String}, {@link BigInteger} (bigint), {@code byte[]} (Uint8Array), {@link
 * Undefined#INSTANCE}, {@link List}, {@link Map} with String keys, plus — as op payloads only —
 * {@link Op.NewType} and {@link Op.SubDoc}; and — in peer output only — {@link SubDocRef} for a
 * subdocument and {@link TypeRef} for a shared type found where Yjs left it unconverted (delta
 * embeds).
 */
public final class Values {
  private Values() {}

  /** A subdocument as it appears in toJSON output. */
  public record SubDocRef(String guid) {}

  /** A shared type Yjs did not flatten (e.g. a type embedded in a text delta). */
  public record TypeRef(String type, Object json) {}

  // ------------------------------------------------------------------ Java -> wire

  /** Encodes a Java value as the peer's wire JSON value (still a Java tree, for Json.stringify). */
  public static Object toWire(Object v) {
    if (v == null || v instanceof Boolean || v instanceof String) {
      return v;
    }
    if (v == Undefined.INSTANCE) {
      return tag("undef");
    }
    if (v instanceof BigInteger b) {
      return tag("bigint", "v", b.toString());
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d)) {
        return tag("num", "v", "NaN");
      }
      if (Double.isInfinite(d)) {
        return tag("num", "v", d > 0 ? "Infinity" : "-Infinity");
      }
      if (d == 0 && 1 / d < 0) {
        return tag("num", "v", "-0");
      }
      return d;
    }
    if (v instanceof byte[] bytes) {
      return tag("bin", "v", Base64.getEncoder().encodeToString(bytes));
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object item : list) {
        out.add(toWire(item));
      }
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put((String) e.getKey(), toWire(e.getValue()));
      }
      return out.containsKey("$t") ? tag("obj", "v", out) : out;
    }
    if (v instanceof Op.NewType nt) {
      return nt.toWire();
    }
    if (v instanceof Op.SubDoc sd) {
      return sd.toWire();
    }
    throw new IllegalArgumentException("not a lib0 any value: " + v.getClass().getName());
  }

  private static Map<String, Object> tag(String t, Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("$t", t);
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  // ------------------------------------------------------------------ wire -> Java

  /** Decodes a wire value (as {@link Json#parse} produced it) into the Java model. */
  @SuppressWarnings("unchecked")
  public static Object fromWire(Object w) {
    if (w == null || w instanceof Boolean || w instanceof String || w instanceof Double) {
      return w;
    }
    if (w instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object item : list) {
        out.add(fromWire(item));
      }
      return out;
    }
    if (w instanceof Map<?, ?> raw) {
      Map<String, Object> m = (Map<String, Object>) raw;
      if (m.containsKey("$t")) {
        String t = (String) m.get("$t");
        return switch (t) {
          case "undef" -> Undefined.INSTANCE;
          case "bigint" -> new BigInteger((String) m.get("v"));
          case "bin" -> Base64.getDecoder().decode((String) m.get("v"));
          case "num" -> switch ((String) m.get("v")) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            case "-0" -> -0.0;
            default -> throw new IllegalArgumentException("bad num tag " + m);
          };
          case "obj" -> decodeObject((Map<String, Object>) m.get("v"));
          case "doc" -> new SubDocRef((String) m.get("guid"));
          case "type" -> new TypeRef((String) m.get("type"), fromWire(m.get("json")));
          case "untyped" -> new TypeRef("untyped", null);
          default -> throw new IllegalArgumentException("unknown wire tag " + t);
        };
      }
      return decodeObject(m);
    }
    throw new IllegalArgumentException("not a wire value: " + w.getClass().getName());
  }

  private static Map<String, Object> decodeObject(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      out.put(e.getKey(), fromWire(e.getValue()));
    }
    return out;
  }

  // ------------------------------------------------------------------ comparison helpers

  /**
   * A deterministic text form of a Java-model value for equality assertions: the wire encoding
   * with object keys sorted (Yjs map key order depends on integration order, so JSON key order
   * is not part of convergence), numbers formatted as JavaScript does.
   */
  public static String canonical(Object v) {
    return Json.stringify(sortKeys(toWire(replaceRefs(v))));
  }

  private static Object replaceRefs(Object v) {
    if (v instanceof SubDocRef ref) {
      return Map.of("$subdoc", ref.guid());
    }
    if (v instanceof TypeRef ref) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("$type", ref.type());
      m.put("json", ref.json() == null ? null : replaceRefs(ref.json()));
      return m;
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object o : list) {
        out.add(replaceRefs(o));
      }
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put((String) e.getKey(), replaceRefs(e.getValue()));
      }
      return out;
    }
    return v;
  }

  private static Object sortKeys(Object w) {
    if (w instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object o : list) {
        out.add(sortKeys(o));
      }
      return out;
    }
    if (w instanceof Map<?, ?> map) {
      // Json.stringify orders integer-like keys first; prefix keys so the order is plain sorted
      Map<String, Object> sorted = new TreeMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sorted.put((String) e.getKey(), sortKeys(e.getValue()));
      }
      List<Object> pairs = new ArrayList<>();
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        pairs.add(Arrays.asList(e.getKey(), e.getValue()));
      }
      return Map.of("$sorted", pairs);
    }
    return w;
  }

  /**
   * Replaces every lone surrogate in every string (values and keys) by U+FFFD — what a value
   * looks like after lib0 wrote it as UTF-8 and read it back. A document keeps a lone surrogate
   * that was inserted locally, but its peers receive U+FFFD; compare with this applied.
   */
  public static Object replaceLoneSurrogates(Object v) {
    if (v instanceof String s) {
      return wellFormed(s);
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object o : list) {
        out.add(replaceLoneSurrogates(o));
      }
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put(wellFormed((String) e.getKey()), replaceLoneSurrogates(e.getValue()));
      }
      return out;
    }
    if (v instanceof TypeRef ref) {
      return new TypeRef(ref.type(), replaceLoneSurrogates(ref.json()));
    }
    return v;
  }

  /** {@code String.prototype.toWellFormed}: lone surrogates become U+FFFD. */
  public static String wellFormed(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean lone;
      if (Character.isHighSurrogate(c)) {
        lone = i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        if (!lone) {
          if (sb != null) {
            sb.append(c).append(s.charAt(i + 1));
          }
          i++;
          continue;
        }
      } else {
        lone = Character.isLowSurrogate(c);
      }
      if (lone && sb == null) {
        sb = new StringBuilder(s.length());
        sb.append(s, 0, i);
      }
      if (sb != null) {
        sb.append(lone ? '\uFFFD' : c);
      }
    }
    return sb == null ? s : sb.toString();
  }
}
