package dev.tandem.crdt.json;

/**
 * JSON as JavaScript's {@code JSON.parse} / {@code JSON.stringify} see it, for awareness
 * states. Values use the lib0 {@code any} Java model (see docs/architecture.md): null,
 * Boolean, Double (any Number when writing), String, List, Map with string keys.
 */
public final class Json {
  private Json() {}

  /**
   * Parses a JSON text. Objects become insertion-ordered maps, numbers Doubles.
   *
   * @throws dev.tandem.crdt.MalformedDataException for text {@code JSON.parse} would reject,
   *     or nesting deeper than 256; its offset is a char index into the text
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
   * {@code JSON.stringify(value)}: object keys in JavaScript's own order, numbers formatted as
   * JavaScript does, non-finite numbers as {@code null}, properties holding {@code
   * Undefined.INSTANCE} dropped; a top-level {@code null} or undefined gives {@code "null"}.
   *
   * @throws IllegalArgumentException for values JSON cannot hold (bigint, byte[], others)
   */
  public static String stringify(Object value) {
    return JsonWriter.stringify(value);
  }
}
