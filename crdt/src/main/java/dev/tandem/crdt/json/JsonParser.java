package dev.tandem.crdt.json;

import dev.tandem.crdt.MalformedDataException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON text parser accepting exactly what JavaScript's {@code JSON.parse} accepts (RFC
 * 8259 grammar, whitespace limited to space, tab, CR, LF, duplicate keys allowed with the last
 * value kept in the first key's position). Values deeper than {@link Json#MAX_DEPTH} are
 * rejected. Errors are {@link MalformedDataException}s whose offset is a char index into the
 * text. In validating mode nothing is built.
 */
final class JsonParser {
  private final String s;
  private final boolean build;
  private int pos;

  private JsonParser(String s, boolean build) {
    this.s = s;
    this.build = build;
  }

  /** Parses a JSON text into null, Boolean, Double, String, List, Map (insertion ordered). */
  static Object parse(String text) {
    return new JsonParser(text, true).whole();
  }

  /** Checks the text and returns true when it denotes {@code null}. */
  static boolean validate(String text) {
    JsonParser p = new JsonParser(text, false);
    p.skipWs();
    boolean startsWithN = p.pos < text.length() && text.charAt(p.pos) == 'n';
    p.pos = 0;
    p.whole();
    return startsWithN; // a valid JSON text starting with 'n' is the literal null
  }

  private Object whole() {
    skipWs();
    Object v = value(0);
    skipWs();
    if (pos != s.length()) {
      throw error("unexpected character after JSON value");
    }
    return v;
  }

  private MalformedDataException error(String message) {
    return new MalformedDataException("invalid JSON: " + message, pos);
  }

  private void skipWs() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        return;
      }
    }
  }

  private Object value(int depth) {
    if (depth > Json.MAX_DEPTH) {
      throw error("nesting deeper than " + Json.MAX_DEPTH);
    }
    if (pos >= s.length()) {
      throw error("unexpected end of text");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private void literal(String word) {
    if (!s.startsWith(word, pos)) {
      throw error("expected " + word);
    }
    pos += word.length();
  }

  private Object object(int depth) {
    pos++; // {
    Map<String, Object> map = build ? new LinkedHashMap<>() : null;
    skipWs();
    if (pos < s.length() && s.charAt(pos) == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipWs();
      if (pos >= s.length() || s.charAt(pos) != '"') {
        throw error("expected string key");
      }
      String key = string();
      skipWs();
      expect(':');
      skipWs();
      Object v = value(depth + 1);
      if (build) {
        map.put(key, v); // a repeated key keeps its first position and takes the last value
      }
      skipWs();
      if (pos >= s.length()) {
        throw error("unterminated object");
      }
      char c = s.charAt(pos++);
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private Object array(int depth) {
    pos++; // [
    List<Object> list = build ? new ArrayList<>() : null;
    skipWs();
    if (pos < s.length() && s.charAt(pos) == ']') {
      pos++;
      return list;
    }
    while (true) {
      skipWs();
      Object v = value(depth + 1);
      if (build) {
        list.add(v);
      }
      skipWs();
      if (pos >= s.length()) {
        throw error("unterminated array");
      }
      char c = s.charAt(pos++);
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private void expect(char c) {
    if (pos >= s.length() || s.charAt(pos) != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private String string() {
    pos++; // opening quote
    StringBuilder sb = null; // only once an escape is seen; plain runs are copied in one go
    int runStart = pos;
    while (true) {
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(pos);
      if (c == '"') {
        String out = null;
        if (build) {
          out = sb == null ? s.substring(runStart, pos) : sb.append(s, runStart, pos).toString();
        }
        pos++;
        return out;
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (c != '\\') {
        pos++;
        continue;
      }
      if (pos + 1 >= s.length()) {
        throw error("unterminated escape");
      }
      char e = s.charAt(pos + 1);
      int escapeLength = 2;
      char out;
      switch (e) {
        case '"' -> out = '"';
        case '\\' -> out = '\\';
        case '/' -> out = '/';
        case 'b' -> out = '\b';
        case 'f' -> out = '\f';
        case 'n' -> out = '\n';
        case 'r' -> out = '\r';
        case 't' -> out = '\t';
        case 'u' -> {
          if (pos + 6 > s.length()) {
            throw error("truncated \\u escape");
          }
          int v = 0;
          for (int i = pos + 2; i < pos + 6; i++) {
            char h = s.charAt(i);
            int d = h <= 'f' ? Character.digit(h, 16) : -1; // ASCII hex digits only
            if (d < 0) {
              throw error("bad hex digit in \\u escape");
            }
            v = v << 4 | d;
          }
          out = (char) v; // lone surrogates are kept, as JavaScript does
          escapeLength = 6;
        }
        default -> throw error("bad escape \\" + e);
      }
      if (build) {
        if (sb == null) {
          sb = new StringBuilder();
        }
        sb.append(s, runStart, pos).append(out);
      }
      pos += escapeLength;
      runStart = pos;
    }
  }

  private Object number() {
    int start = pos;
    if (s.charAt(pos) == '-') {
      pos++;
    }
    if (pos >= s.length()) {
      throw error("truncated number");
    }
    char c = s.charAt(pos);
    if (c == '0') {
      pos++;
    } else if (c >= '1' && c <= '9') {
      digits();
    } else {
      throw error("bad number");
    }
    if (pos < s.length() && s.charAt(pos) == '.') {
      pos++;
      if (digits() == 0) {
        throw error("digit expected after '.'");
      }
    }
    if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
      pos++;
      if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
        pos++;
      }
      if (digits() == 0) {
        throw error("digit expected in exponent");
      }
    }
    // Java's parser rounds correctly, as JavaScript's does; huge exponents give infinities.
    return build ? Double.valueOf(Double.parseDouble(s.substring(start, pos))) : null;
  }

  private int digits() {
    int start = pos;
    while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
      pos++;
    }
    return pos - start;
  }
}
