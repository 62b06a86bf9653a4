package dev.tandem.crdt.doc;

import dev.tandem.crdt.json.Json;
import dev.tandem.crdt.lib0.Undefined;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a document's shared types as JSON text, the way {@code JSON.stringify(ydoc.toJSON())}
 * does for a client that knows the document's schema: the form of the server's
 * {@code GET /api/documents/{name}} and of the CLI's {@code json} command (docs/protocol.md,
 * "JSON of a document").
 *
 * <p>A reader without the schema cannot know what a root is (Yjs keeps no type information for
 * roots), so each root's type is inferred from its content ({@link Doc#inferRootKind}) and the
 * matching getter is called: rendering types the document's untyped roots, so render a document
 * of your own (e.g. a copy). Roots: Y.Text as its string (or its delta with {@link Format#DELTA}),
 * Y.Array as a list, Y.Map as an object, Y.XmlFragment as its XML string (or ProseMirror JSON with
 * {@link Format#PROSEMIRROR}); a root whose content is all deleted (nothing tells its type) is
 * left out. Values JSON cannot hold: {@code Uint8Array} as a base64 string (RFC 4648, padded),
 * bigint as its decimal string, a sub-document as {@code {"guid": ...}}, {@code undefined} as
 * {@code JSON.stringify} does (property left out, array element {@code null}), NaN and
 * infinities as {@code null}. Numbers are written as JavaScript writes them.
 */
public final class DocumentJson {
  /** How root texts and XML fragments are rendered. */
  public enum Format { JSON, DELTA, PROSEMIRROR }

  /** Thrown when the document cannot be rendered in the requested form. */
  public static final class UnrenderableException extends RuntimeException {
    UnrenderableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private DocumentJson() {}

  /** The JSON text of the document held by a v1 update (rendered on a new document). */
  public static String render(byte[] update, Format format) {
    Doc copy = new Doc(false);
    copy.applyUpdate(update);
    return render(copy, format);
  }

  /**
   * The JSON text of {@code doc}'s roots; types its untyped roots as inferred.
   *
   * @throws UnrenderableException when a root has no form in {@code format} or the document nests
   *     deeper than {@link Json#MAX_DEPTH}
   */
  public static String render(Doc doc, Format format) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : doc.rootNames()) {
      Object value;
      try {
        switch (doc.inferRootKind(name)) {
          case TEXT:
            value = format == Format.DELTA ? doc.getText(name).toDelta() : doc.getText(name).toJSON();
            break;
          case ARRAY:
            value = doc.getArray(name).toJSON();
            break;
          case MAP:
            value = doc.getMap(name).toJSON();
            break;
          case XML_FRAGMENT:
            value = format == Format.PROSEMIRROR ? doc.getXmlFragment(name).toProsemirrorJSON()
                : doc.getXmlFragment(name).toString();
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

  /**
   * {@code value} (the Java model of a {@code toJSON()} result) with every value JSON cannot hold
   * replaced as described above, ready for {@link Json#stringify}.
   *
   * @throws IllegalArgumentException for nesting deeper than {@link Json#MAX_DEPTH} or a value
   *     outside the model
   */
  public static Object jsonSafe(Object value) {
    return jsonSafe(value, 0);
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
