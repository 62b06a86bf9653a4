package dev.tandem.crdt.struct;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.json.Json;
import dev.tandem.crdt.lib0.Undefined;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads item content by ref number (Yjs's {@code contentRefs} table). */
public final class Contents {
  private Contents() {}

  /** @param ref the content ref from the info byte, 1..9 */
  public static Content read(StructDecoder d, int ref) {
    switch (ref) {
      case ContentDeleted.REF:
        {
          long len = d.readLen();
          if (len < 1 || len > Integer.MAX_VALUE) {
            throw d.error("deleted content length " + len + " out of range");
          }
          return new ContentDeleted((int) len);
        }
      case ContentJson.REF:
        return readJson(d);
      case ContentBinary.REF:
        return new ContentBinary(d.readBuf());
      case ContentString.REF:
        {
          String s = d.readString();
          if (s.isEmpty()) {
            throw d.error("empty string content");
          }
          return new ContentString(s, d.lastStringAscii());
        }
      case ContentEmbed.REF:
        return new ContentEmbed(d.readJSON());
      case ContentFormat.REF:
        {
          String key = d.readKey();
          return new ContentFormat(key, d.readJSON());
        }
      case ContentType.REF:
        {
          int typeRef = d.readTypeRef();
          if (typeRef < ContentType.Y_ARRAY || typeRef > ContentType.Y_XML_TEXT) {
            throw d.error("unknown type ref " + typeRef);
          }
          return new ContentType(typeRef, ContentType.hasName(typeRef) ? d.readKey() : null);
        }
      case ContentAny.REF:
        {
          long len = readElementCount(d);
          List<Object> values = new ArrayList<>((int) Math.min(len, 64));
          for (long i = 0; i < len; i++) {
            values.add(d.readAny());
          }
          return new ContentAny(values);
        }
      case ContentDoc.REF:
        {
          String guid = d.readString();
          return readDoc(d, guid, d.readAny());
        }
      default:
        throw d.error("unknown content ref " + ref);
    }
  }

  /** Element counts are not bounded here: every element read consumes input or fails. */
  private static long readElementCount(StructDecoder d) {
    long len = d.readLen();
    if (len < 1 || len > Integer.MAX_VALUE) {
      throw d.error("content element count " + len + " out of range");
    }
    return len;
  }

  private static ContentJson readJson(StructDecoder d) {
    long len = readElementCount(d);
    List<String> texts = new ArrayList<>((int) Math.min(len, 64));
    for (long i = 0; i < len; i++) {
      String s = d.readString();
      if (ContentJson.UNDEFINED.equals(s)) {
        texts.add(ContentJson.UNDEFINED);
      } else {
        try {
          texts.add(Json.canonicalize(s));
        } catch (MalformedDataException e) {
          throw d.error("invalid JSON content: " + e.getMessage());
        }
      }
    }
    return new ContentJson(texts);
  }

  /**
   * Yjs rebuilds a sub-document from the stored options ({@code new Doc({guid, ...opts})})
   * and writes back only what the Doc remembers, so options are normalised here the same way:
   * unknown keys vanish, {@code gc} and {@code autoLoad} become booleans that are kept only
   * when not the default, and a {@code guid} option overrides the stored guid.
   */
  public static ContentDoc readDoc(StructDecoder d, String guid, Object opts) {
    if (opts == null || opts instanceof Undefined) {
      // Yjs reads opts.shouldLoad and fails with a TypeError
      throw d.error("sub-document options missing");
    }
    Map<String, Object> normalised = new LinkedHashMap<>();
    if (opts instanceof Map<?, ?> m) {
      if (m.containsKey("guid")) {
        Object g = m.get("guid");
        if (!(g instanceof String gs)) {
          throw d.error("sub-document guid option is not a string");
        }
        guid = gs;
      }
      Object gc = m.containsKey("gc") ? m.get("gc") : Boolean.TRUE;
      if (gc instanceof Undefined) {
        gc = Boolean.TRUE;
      }
      if (!truthy(gc)) {
        normalised.put("gc", Boolean.FALSE);
      }
      if (truthy(m.get("autoLoad"))) {
        normalised.put("autoLoad", Boolean.TRUE);
      }
      Object meta = m.get("meta");
      if (meta != null && !(meta instanceof Undefined)) {
        normalised.put("meta", meta);
      }
    }
    // any other value spreads to no known keys: all defaults
    return new ContentDoc(guid, normalised);
  }

  /** JavaScript truthiness over the lib0 {@code any} model. */
  static boolean truthy(Object v) {
    if (v == null || v instanceof Undefined) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    if (v instanceof BigInteger big) {
      return big.signum() != 0;
    }
    if (v instanceof Number n) {
      double x = n.doubleValue();
      return x != 0 && !Double.isNaN(x);
    }
    return true;
  }
}
