package dev.tandem.crdt.json;

import dev.tandem.crdt.lib0.Lib0Decoder;

/**
 * JSON exactly as JavaScript's {@code JSON.parse} / {@code JSON.stringify} see it, over the
 * lib0 {@code any} Java model (see docs/architecture.md): null, Boolean, Double (any Number
 * when writing), String, {@code List}, {@code Map} with string keys, {@code byte[]} (a
 * {@code Uint8Array}) and {@code Undefined.INSTANCE}.
 *
 * <p>The one JSON implementation of the module: awareness states (protocol codecs) and update
 * contents (embeds, formatting attributes and legacy JSON content, whose v1 form is JSON text
 * and v2 form a lib0 {@code any}) both use it, so converting between them gives the text a
 * JavaScript engine would produce.
 *
 * <p>Nesting: a value may sit at most {@link #MAX_DEPTH} levels below the top-level value (the
 * top-level value is at depth 0), the same rule as {@code Lib0Decoder#readAny}, so whatever a
 * v2 update carries as {@code any} can be written and read back as v1 JSON text. Deeper input
 * is rejected without exhausting the stack.
 */
public final class Json {
  /** Deepest accepted nesting level of a value (top level = 0): lib0's any limit. */
  public static final int MAX_DEPTH = Lib0Decoder.MAX_ANY_DEPTH;

  private Json() {}

  /**
   * {@code JSON.parse(text)}: RFC 8259 as JavaScript accepts it (whitespace limited to space,
   * tab, CR, LF; no comments, no trailing commas). Objects become insertion-ordered maps (a
   * repeated key keeps its first position and takes the last value), numbers Doubles (huge
   * exponents give infinities, as in JavaScript), lone surrogate escapes are kept.
   *
   * @throws dev.tandem.crdt.MalformedDataException for text {@code JSON.parse} would reject,
   *     or nesting deeper than {@link #MAX_DEPTH}; its offset is a char index into the text
   */
  public static Object parse(String text) {
    return JsonParser.parse(text);
  }

  /**
   * Checks that the text is JSON without building it, and tells whether it is the literal
   * {@code null} (surrounding whitespace allowed).
   *
   * @throws dev.tandem.crdt.MalformedDataException as {@link #parse}
   */
  public static boolean validateIsNull(String text) {
    return JsonParser.validate(text);
  }

  /**
   * {@code JSON.stringify(JSON.parse(text))}: the canonical form Yjs writes back. Returns
   * {@code text} itself when it already is canonical.
   *
   * @throws dev.tandem.crdt.MalformedDataException as {@link #parse}
   */
  public static String canonicalize(String text) {
    String s = stringify(parse(text));
    return s.equals(text) ? text : s;
  }

  /**
   * {@code JSON.stringify(value)} without replacer or indentation: object keys in JavaScript's
   * own order (integer keys ascending first), numbers as {@code Number#toString} ({@link
   * JsNumber}), non-finite numbers as {@code null}, properties holding {@code Undefined}
   * dropped and array elements holding it written {@code null}, a {@code byte[]} as the object
   * of its indexes (as for a {@code Uint8Array}), lone surrogates escaped ({@code \ud800}).
   *
   * @return the JSON text, or Java {@code null} where JavaScript returns {@code undefined}
   *     (for a top-level {@code Undefined.INSTANCE})
   * @throws IllegalArgumentException for a bigint ({@code BigInteger}; JavaScript throws a
   *     TypeError), a value that is not part of the model, or nesting deeper than {@link
   *     #MAX_DEPTH}
   */
  public static String stringify(Object value) {
    return JsonWriter.stringify(value);
  }
}
