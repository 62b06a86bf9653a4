package dev.tandem.crdt.lib0;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JavaScript's {@code JSON.parse} and {@code JSON.stringify} over the lib0 {@code any} Java
 * model (see {@code docs/architecture.md}). Update v1 stores embeds, formatting values and
 * legacy JSON content as JSON text, v2 stores them as {@code any}; converting between the two
 * must produce the exact text a JavaScript engine would.
 *
 * <p>Parsing is strict RFC 8259 as in JavaScript (no comments, no trailing commas); numbers
 * become {@link Double}s. Nesting deeper than {@link Lib0Decoder#MAX_ANY_DEPTH} is rejected so
 * that hostile input cannot exhaust the stack.
 */
public final class JsJson {
  private JsJson() {}

  /** Thrown for text {@code JSON.parse} rejects and values {@code JSON.stringify} rejects. */
  public static final class JsonException extends IllegalArgumentException {
    public JsonException(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------- parse

  public static Object parse(String text) {
    Parser p = new Parser(text);
    p.skipWs();
    Object v = p.value(0);
    p.skipWs();
    if (p.i != text.length()) {
      throw new JsonException("unexpected character at " + p.i);
    }
    return v;
  }

  /**
   * {@code JSON.stringify(JSON.parse(text))}: the canonical form Yjs writes back. Returns
   * {@code text} itself when it already is canonical.
   */
  public static String canonicalize(String text) {
    String s = stringify(parse(text));
    return s.equals(text) ? text : s;
  }

  private static final class Parser {
    final String t;
    int i;

    Parser(String t) {
      this.t = t;
    }

    void skipWs() {
      while (i < t.length()) {
        char c = t.charAt(i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          i++;
        } else {
          break;
        }
      }
    }

    JsonException fail() {
      return new JsonException("invalid JSON at " + i);
    }

    Object value(int depth) {
      if (depth > Lib0Decoder.MAX_ANY_DEPTH) {
        throw new JsonException("JSON nested too deeply");
      }
      if (i >= t.length()) {
        throw fail();
      }
      char c = t.charAt(i);
      switch (c) {
        case '{':
          return object(depth);
        case '[':
          return array(depth);
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw fail();
      }
    }

    Object literal(String word, Object v) {
      if (!t.startsWith(word, i)) {
        throw fail();
      }
      i += word.length();
      return v;
    }

    Map<String, Object> object(int depth) {
      i++;
      Map<String, Object> m = new LinkedHashMap<>();
      skipWs();
      if (i < t.length() && t.charAt(i) == '}') {
        i++;
        return m;
      }
      while (true) {
        skipWs();
        if (i >= t.length() || t.charAt(i) != '"') {
          throw fail();
        }
        String key = string();
        skipWs();
        if (i >= t.length() || t.charAt(i) != ':') {
          throw fail();
        }
        i++;
        skipWs();
        Object v = value(depth + 1);
        // a repeated key keeps its first position and takes the last value, as in JavaScript
        m.put(key, v);
        skipWs();
        if (i >= t.length()) {
          throw fail();
        }
        char c = t.charAt(i++);
        if (c == '}') {
          return m;
        }
        if (c != ',') {
          i--;
          throw fail();
        }
      }
    }

    List<Object> array(int depth) {
      i++;
      List<Object> l = new ArrayList<>();
      skipWs();
      if (i < t.length() && t.charAt(i) == ']') {
        i++;
        return l;
      }
      while (true) {
        skipWs();
        l.add(value(depth + 1));
        skipWs();
        if (i >= t.length()) {
          throw fail();
        }
        char c = t.charAt(i++);
        if (c == ']') {
          return l;
        }
        if (c != ',') {
          i--;
          throw fail();
        }
      }
    }

    String string() {
      i++; // opening quote
      StringBuilder b = null;
      int runStart = i;
      while (true) {
        if (i >= t.length()) {
          throw fail();
        }
        char c = t.charAt(i);
        if (c == '"') {
          String s = b == null ? t.substring(runStart, i) : b.append(t, runStart, i).toString();
          i++;
          return s;
        }
        if (c < 0x20) {
          throw fail();
        }
        if (c == '\\') {
          if (b == null) {
            b = new StringBuilder();
          }
          b.append(t, runStart, i);
          i++;
          if (i >= t.length()) {
            throw fail();
          }
          char e = t.charAt(i++);
          switch (e) {
            case '"':
              b.append('"');
              break;
            case '\\':
              b.append('\\');
              break;
            case '/':
              b.append('/');
              break;
            case 'b':
              b.append('\b');
              break;
            case 'f':
              b.append('\f');
              break;
            case 'n':
              b.append('\n');
              break;
            case 'r':
              b.append('\r');
              break;
            case 't':
              b.append('\t');
              break;
            case 'u':
              {
                if (i + 4 > t.length()) {
                  throw fail();
                }
                int v = 0;
                for (int k = 0; k < 4; k++) {
                  int h = Character.digit(t.charAt(i + k), 16);
                  if (h < 0 || t.charAt(i + k) > 'f') {
                    throw fail();
                  }
                  v = v << 4 | h;
                }
                i += 4;
                b.append((char) v);
                break;
              }
            default:
              i--;
              throw fail();
          }
          runStart = i;
        } else {
          i++;
        }
      }
    }

    Double number() {
      int start = i;
      if (t.charAt(i) == '-') {
        i++;
      }
      if (i >= t.length()) {
        throw fail();
      }
      if (t.charAt(i) == '0') {
        i++;
      } else if (isDigit()) {
        while (isDigit()) {
          i++;
        }
      } else {
        throw fail();
      }
      if (i < t.length() && t.charAt(i) == '.') {
        i++;
        if (!isDigit()) {
          throw fail();
        }
        while (isDigit()) {
          i++;
        }
      }
      if (i < t.length() && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
        i++;
        if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
          i++;
        }
        if (!isDigit()) {
          throw fail();
        }
        while (isDigit()) {
          i++;
        }
      }
      // Java's parser rounds correctly, as JavaScript's does; huge exponents give infinities.
      return Double.parseDouble(t.substring(start, i));
    }

    boolean isDigit() {
      return i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9';
    }
  }

  // ---------------------------------------------------------------- stringify

  /**
   * {@code JSON.stringify(value)}; returns {@code null} where JavaScript returns
   * {@code undefined} (for {@link Undefined} at the top level).
   *
   * @throws JsonException for a {@link BigInteger} (JavaScript throws a TypeError)
   */
  public static String stringify(Object value) {
    if (value instanceof Undefined) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    write(b, value, 0);
    return b.toString();
  }

  private static void write(StringBuilder b, Object v, int depth) {
    if (depth > Lib0Decoder.MAX_ANY_DEPTH + 1) {
      throw new JsonException("value nested too deeply");
    }
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      quote(b, s);
    } else if (v instanceof Boolean bool) {
      b.append(bool ? "true" : "false");
    } else if (v instanceof BigInteger) {
      throw new JsonException("Do not know how to serialize a BigInt");
    } else if (v instanceof Number n) {
      double d = n.doubleValue();
      b.append(Double.isFinite(d) ? JsNumber.toString(d) : "null");
    } else if (v instanceof byte[] bytes) {
      // a Uint8Array is an object whose own keys are its indexes
      b.append('{');
      for (int k = 0; k < bytes.length; k++) {
        if (k > 0) {
          b.append(',');
        }
        b.append('"').append(k).append("\":").append(bytes[k] & 0xFF);
      }
      b.append('}');
    } else if (v instanceof List<?> list) {
      b.append('[');
      for (int k = 0; k < list.size(); k++) {
        if (k > 0) {
          b.append(',');
        }
        Object e = list.get(k);
        if (e instanceof Undefined) {
          b.append("null");
        } else {
          write(b, e, depth + 1);
        }
      }
      b.append(']');
    } else if (v instanceof Map<?, ?> map) {
      b.append('{');
      boolean first = true;
      for (String key : JsObjectKeys.ordered(map)) {
        Object e = map.get(key);
        if (e instanceof Undefined) {
          continue;
        }
        if (!first) {
          b.append(',');
        }
        first = false;
        quote(b, key);
        b.append(':');
        write(b, e, depth + 1);
      }
      b.append('}');
    } else if (v instanceof Undefined) {
      b.append("null");
    } else {
      throw new JsonException("not a JSON value: " + v.getClass().getName());
    }
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** JSON.stringify's QuoteJSONString, including the escaping of lone surrogates (ES2019). */
  static void quote(StringBuilder b, String s) {
    b.append('"');
    int n = s.length();
    for (int k = 0; k < n; k++) {
      char c = s.charAt(k);
      switch (c) {
        case '"':
          b.append("\\\"");
          continue;
        case '\\':
          b.append("\\\\");
          continue;
        case '\b':
          b.append("\\b");
          continue;
        case '\f':
          b.append("\\f");
          continue;
        case '\n':
          b.append("\\n");
          continue;
        case '\r':
          b.append("\\r");
          continue;
        case '\t':
          b.append("\\t");
          continue;
        default:
          break;
      }
      if (c < 0x20) {
        unicodeEscape(b, c);
      } else if (Character.isHighSurrogate(c)) {
        if (k + 1 < n && Character.isLowSurrogate(s.charAt(k + 1))) {
          b.append(c).append(s.charAt(++k));
        } else {
          unicodeEscape(b, c);
        }
      } else if (Character.isLowSurrogate(c)) {
        unicodeEscape(b, c);
      } else {
        b.append(c);
      }
    }
    b.append('"');
  }

  private static void unicodeEscape(StringBuilder b, char c) {
    b.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15])
        .append(HEX[c & 15]);
  }
}
