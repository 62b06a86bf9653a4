package dev.tandem.server;

/**
 * Validation of document names before they touch Redis.
 *
 * <p>A valid name is 1..255 characters (UTF-16 code units, i.e. Java {@code String.length()}), is
 * made of well-formed Unicode (no lone surrogates) and contains no
 * <ul>
 *   <li>control characters (U+0000..U+001F, U+007F..U+009F), nor line/paragraph separators
 *       (U+2028, U+2029), nor U+FEFF or noncharacters U+FFFE/U+FFFF,</li>
 *   <li>{@code {} and {@code }}: they would break the Redis Cluster hash tag {@code {name}},</li>
 *   <li>{@code \}, {@code ?}, {@code #}, {@code %}: they would be ambiguous in the URL path
 *       {@code /ws/{name}} and the REST routes,</li>
 *   <li>leading or trailing whitespace, nor a leading {@code /}, nor the segments {@code .} and
 *       {@code ..} (path-traversal look-alikes).</li>
 * </ul>
 * Everything else is allowed, in particular letters and digits of any script, space, and
 * {@code - _ . : / @ + = , ; ! ~ * ' ( ) [ ] $ & |}. Names are case-sensitive and compared as
 * given (no normalisation).
 */
public final class DocumentNames {
  public static final int MAX_LENGTH = 255;

  private DocumentNames() {}

  /** Returns {@code name} when valid; throws {@link InvalidDocumentNameException} otherwise. */
  public static String validate(String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidDocumentNameException("must not be empty");
    }
    if (name.length() > MAX_LENGTH) {
      throw new InvalidDocumentNameException("longer than " + MAX_LENGTH + " characters (" + name.length() + ")");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new InvalidDocumentNameException("lone surrogate at index " + i);
      }
      if (Character.isLowSurrogate(c)) {
        throw new InvalidDocumentNameException("lone surrogate at index " + i);
      }
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0xfeff
          || c == 0xfffe || c == 0xffff) {
        throw new InvalidDocumentNameException(String.format("control or invisible character U+%04X at index %d", (int) c, i));
      }
      switch (c) {
        case '{', '}' -> throw new InvalidDocumentNameException("'" + c + "' at index " + i + " is not allowed (Redis hash tag)");
        case '\\', '?', '#', '%' -> throw new InvalidDocumentNameException("'" + c + "' at index " + i + " is not allowed (URL)");
        default -> { }
      }
    }
    if (Character.isWhitespace(name.charAt(0)) || Character.isSpaceChar(name.charAt(0))
        || Character.isWhitespace(name.charAt(name.length() - 1)) || Character.isSpaceChar(name.charAt(name.length() - 1))) {
      throw new InvalidDocumentNameException("leading or trailing whitespace");
    }
    if (name.charAt(0) == '/') {
      throw new InvalidDocumentNameException("must not start with '/'");
    }
    for (String segment : name.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new InvalidDocumentNameException("path segment '" + segment + "' is not allowed");
      }
    }
    return name;
  }

  /** True when {@link #validate} would accept {@code name}. */
  public static boolean isValid(String name) {
    try {
      validate(name);
      return true;
    } catch (InvalidDocumentNameException e) {
      return false;
    }
  }
}
