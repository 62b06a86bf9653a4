package dev.tandem.crdt.lib0;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 exactly as JavaScript's {@code TextEncoder}/{@code TextDecoder} produce and read it.
 *
 * <p>Java's {@code String.getBytes(UTF_8)} turns a lone surrogate into {@code '?'}, while the
 * WHATWG encoder writes U+FFFD ({@code EF BF BD}); Yjs stores whatever the browser encoded, so
 * we must do the same to be byte-identical.
 */
public final class JsUtf8 {
  private JsUtf8() {}

  /** Number of bytes {@link #encode} produces for {@code s}. */
  public static int encodedLength(CharSequence s) {
    int n = s.length();
    int bytes = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3; // BMP char, or a lone surrogate written as U+FFFD
      }
    }
    return bytes;
  }

  /** Writes {@code s} into {@code out} at {@code pos}; returns the position after the last byte. */
  public static int encodeInto(CharSequence s, byte[] out, int pos) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[pos++] = (byte) c;
      } else if (c < 0x800) {
        out[pos++] = (byte) (0xC0 | (c >> 6));
        out[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          out[pos++] = (byte) (0xF0 | (cp >> 18));
          out[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          out[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          out[pos++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          out[pos++] = (byte) 0xEF;
          out[pos++] = (byte) 0xBF;
          out[pos++] = (byte) 0xBD;
        }
      } else {
        out[pos++] = (byte) (0xE0 | (c >> 12));
        out[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return pos;
  }

  public static byte[] encode(CharSequence s) {
    byte[] out = new byte[encodedLength(s)];
    encodeInto(s, out, 0);
    return out;
  }

  /**
   * Decodes like lib0's {@code new TextDecoder('utf-8', {fatal: true, ignoreBOM: true})}: a
   * byte-order mark is kept as a character and any invalid sequence (including an encoded
   * surrogate) is an error, exactly where Yjs would throw.
   *
   * @return the string, or {@code null} when the bytes are not valid UTF-8
   */
  public static String decodeStrict(byte[] bytes, int offset, int length) {
    // The JDK's decoder (ASCII fast path intrinsified, and compiled early in every JVM) replaces
    // each malformed sequence with U+FFFD and otherwise agrees with the WHATWG decoder, so a
    // result without U+FFFD proves the input valid. (indexOf returns at once for a Latin-1
    // string, which cannot hold U+FFFD.) Only a string containing U+FFFD needs the strict check.
    String s = new String(bytes, offset, length, StandardCharsets.UTF_8);
    if (s.indexOf(REPLACEMENT) < 0) {
      return s;
    }
    return decodeReporting(bytes, offset, length);
  }

  private static final int REPLACEMENT = 0xFFFD;

  private static String decodeReporting(byte[] bytes, int offset, int length) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, offset, length));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Writes {@code s} into {@code out} at {@code pos} if it is pure ASCII (one byte per char,
   * which {@code out} must have room for); returns the position after it, or -1 (with some
   * bytes of {@code out} overwritten) if {@code s} holds a non-ASCII char.
   */
  public static int encodeAsciiInto(String s, byte[] out, int pos) {
    int n = s.length();
    if (n >= LONG_STRING) {
      // Long strings through the JDK's vectorised encoder: a result of one byte per char is
      // ASCII, unless lone surrogates became '?', which the Latin-1 round trip catches.
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length != n || !s.equals(new String(b, StandardCharsets.ISO_8859_1))) {
        return -1;
      }
      System.arraycopy(b, 0, out, pos, n);
      return pos + n;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        return -1;
      }
      out[pos + i] = (byte) c;
    }
    return pos + n;
  }

  private static final int LONG_STRING = 256;
}
