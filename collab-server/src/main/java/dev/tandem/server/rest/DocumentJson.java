package dev.tandem.server.rest;

import dev.tandem.crdt.doc.AbstractType;
import dev.tandem.crdt.doc.Doc;
import dev.tandem.crdt.doc.Subdoc;
import dev.tandem.crdt.json.Json;
import dev.tandem.crdt.lib0.Undefined;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a document's shared types as JSON ({@code GET /api/documents/{name}}), the way
 * {@code JSON.stringify(ydoc.toJSON())} does for a client that knows the document's schema.
 *
 * <p>A server does not know the schema (Yjs keeps no type information for roots), so each root's
 * type is inferred from its content ({@link Doc#inferRootKind}) on a copy of the document (the
 * session's own {@code Doc} keeps untyped roots). Roots: Y.Text as its string (or its delta with
 * {@link Format#DELTA}), Y.Array as a list, Y.Map as an object, Y.XmlFragment as its XML string
 * (or ProseMirror JSON with {@link Format#PROSEMIRROR}); a root whose content is all deleted
 * (nothing tells its type) is left out. Values JSON cannot hold: {@code Uint8Array} as a base64
 * string (RFC 4648, padded), bigint as its decimal string, a sub-document as {@code {"guid": ...}},
 * {@code undefined} as {@code JSON.stringify} does (property left out, array element
 * {@code null}), NaN and infinities as {@code null}. Numbers are written as JavaScript writes them.
 */
final class DocumentJson {
  enum Format { JSON, DELTA, PROSEMIRROR }

  /** Thrown when the document cannot be rendered in the requested form. */
  static final class UnrenderableException extends RuntimeException {
    UnrenderableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private DocumentJson() {}

  /** The JSON text of the document held by a v1 update. */
  static String render(byte[] update, Format format) {
    Doc copy = new Doc(false);
    copy.applyUpdate(update);
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : copy.rootNames()) {
      Object value;
      try {
        switch (copy.inferRootKind(name)) {
          case TEXT:
            value = format == Format.DELTA ? copy.getText(name).toDelta() : copy.getText(name).toJSON();
            break;
          case ARRAY:
            value = copy.getArray(name).toJSON();
            break;
          case MAP:
            value = copy.getMap(name).toJSON();
            break;
          case XML_FRAGMENT:
            value = format == Format.PROSEMIRROR ? copy.getXmlFragment(name).toProsemirrorJSON()
                : copy.getXmlFragment(name).toString();
            break;
          default:
            continue;
        }
      } catch (RuntimeException e) {
        throw new UnrenderableException("root '" + name + "' cannot be rendered: " + e.getMessage(), e);
      }
      out.put(name, value);
    }
    try {
      return Json.stringify(jsonSafe(out, 0));
    } catch (IllegalArgumentException e) {
      throw new UnrenderableException(e.getMessage(), e);
    }
  }

  private static Object jsonSafe(Object v, int depth) {
    if (depth > Json.MAX_DEPTH) {
      throw new IllegalArgumentException("document nested deeper than " + Json.MAX_DEPTH + " levels");
    }
    if (v == null || v == Undefined.INSTANCE || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof BigInteger b) {
      return b.toString();
    }
    if (v instanceof Number) {
      return v;
    }
    if (v instanceof byte[] b) {
      return Base64.getEncoder().encodeToString(b);
    }
    if (v instanceof AbstractType t) {
      return jsonSafe(t.toJSON(), depth);
    }
    if (v instanceof Subdoc d) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("guid", d.guid());
      return m;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object e : l) {
        out.add(jsonSafe(e, depth + 1));
      }
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(String.valueOf(e.getKey()), jsonSafe(e.getValue(), depth + 1));
      }
      return out;
    }
    throw new IllegalArgumentException("value of type " + v.getClass().getSimpleName() + " has no JSON form");
  }
}
