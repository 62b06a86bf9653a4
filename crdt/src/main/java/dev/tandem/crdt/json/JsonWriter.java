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
    StringBuilder sb = new StringBuilder();
    if (value == Undefined.INSTANCE) {
      return "null";
    }
    write(sb, value, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v, int depth) {
    if (depth > JsonParser.MAX_DEPTH) {
      throw new IllegalArgumentException("nesting deeper than " + JsonParser.MAX_DEPTH);
    }
    if (v == null || v == Undefined.INSTANCE) {
      sb.append("null");
    } else if (v instanceof Boolean b) {
      sb.append(b.booleanValue() ? "true" : "false");
    } else if (v instanceof String s) {
      quote(sb, s);
    } else if (v instanceof BigInteger) {
      throw new IllegalArgumentException("JSON cannot hold a bigint");
    } else if (v instanceof Number n) {
      double d = n.doubleValue();
      sb.append(Double.isFinite(d) ? JsNumber.toString(d) : "null");
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

  /** ECMA-262 QuoteJSONString, including the escaping of lone surrogates. */
  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
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
            if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
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
