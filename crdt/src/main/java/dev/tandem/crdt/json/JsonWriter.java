package dev.tandem.crdt.json;

import dev.tandem.crdt.lib0.JsObjectKeys;
import dev.tandem.crdt.lib0.Undefined;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** {@code JSON.stringify} without replacer or indentation, over the lib0 {@code any} model. */
final class JsonWriter {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonWriter() {}

  static String stringify(Object value) {
    if (value == Undefined.INSTANCE) {
      return null; // JSON.stringify(undefined) === undefined
    }
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v, int depth) {
    if (depth > Json.MAX_DEPTH) {
      throw new IllegalArgumentException("JSON value nested deeper than " + Json.MAX_DEPTH);
    }
    if (v == null || v == Undefined.INSTANCE) {
      // undefined only reaches here as an array element, which JSON.stringify writes as null
      sb.append("null");
    } else if (v instanceof String s) {
      quote(sb, s);
    } else if (v instanceof Boolean b) {
      sb.append(b.booleanValue() ? "true" : "false");
    } else if (v instanceof BigInteger) {
      throw new IllegalArgumentException("Do not know how to serialize a BigInt");
    } else if (v instanceof Number n) {
      double d = n.doubleValue();
      sb.append(Double.isFinite(d) ? JsNumber.toString(d) : "null");
    } else if (v instanceof byte[] bytes) {
      // a Uint8Array is an object whose own enumerable keys are its indexes
      sb.append('{');
      for (int k = 0; k < bytes.length; k++) {
        if (k > 0) {
          sb.append(',');
        }
        sb.append('"').append(k).append("\":").append(bytes[k] & 0xFF);
      }
      sb.append('}');
    } else if (v instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(sb, list.get(i), depth + 1);
      }
      sb.append(']');
    } else if (v instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (String key : JsObjectKeys.ordered(map)) {
        Object item = map.get(key);
        if (item == Undefined.INSTANCE) {
          continue; // JSON.stringify drops undefined properties
        }
        if (!first) {
          sb.append(',');
        }
        first = false;
        quote(sb, key);
        sb.append(':');
        write(sb, item, depth + 1);
      }
      sb.append('}');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }
  }

  /** ECMA-262 QuoteJSONString, including the escaping of lone surrogates (ES2019). */
  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            unicodeEscape(sb, c);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
              sb.append(c).append(s.charAt(++i));
            } else {
              unicodeEscape(sb, c);
            }
          } else if (Character.isLowSurrogate(c)) {
            unicodeEscape(sb, c);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static void unicodeEscape(StringBuilder sb, char c) {
    sb.append("\\u")
        .append(HEX[c >> 12 & 0xF])
        .append(HEX[c >> 8 & 0xF])
        .append(HEX[c >> 4 & 0xF])
        .append(HEX[c & 0xF]);
  }
}
