package dev.tandem.crdt.oracle;

import java.util.Arrays;
import org.opentest4j.AssertionFailedError;

/** Byte-exact comparison against oracle output, with failure messages that locate the difference. */
public final class ByteAsserts {
  /** Bytes shown before and after the first difference. */
  private static final int WINDOW = 16;

  private ByteAsserts() {}

  /**
   * Fails unless {@code actual} equals {@code expected} byte for byte. The message names {@code
   * what}, the seed, the first differing offset, both lengths and a hex window around the offset.
   */
  public static void assertSameBytes(String what, long seed, byte[] expected, byte[] actual) {
    if (expected == null || actual == null) {
      if (expected != actual) {
        throw new AssertionFailedError(
            what + " (seed " + seed + "): expected " + describe(expected) + " but was " + describe(actual));
      }
      return;
    }
    int at = Arrays.mismatch(expected, actual);
    if (at < 0) {
      return;
    }
    int from = Math.max(0, at - WINDOW);
    String msg =
        what
            + " (seed "
            + seed
            + "): bytes differ at offset "
            + at
            + " (expected length "
            + expected.length
            + ", actual length "
            + actual.length
            + ")\n  expected ["
            + from
            + "..]: "
            + window(expected, from, at)
            + "\n  actual   ["
            + from
            + "..]: "
            + window(actual, from, at);
    throw new AssertionFailedError(msg, hex(expected, 0, Math.min(expected.length, 4096)), hex(actual, 0, Math.min(actual.length, 4096)));
  }

  private static String describe(byte[] b) {
    return b == null ? "null" : b.length + " bytes";
  }

  /** Hex of {@code b[from .. at + WINDOW)} with the byte at {@code at} bracketed. */
  static String window(byte[] b, int from, int at) {
    StringBuilder sb = new StringBuilder();
    int to = Math.min(b.length, at + WINDOW);
    for (int i = from; i < to; i++) {
      if (i > from) {
        sb.append(' ');
      }
      String h = String.format("%02x", b[i] & 0xFF);
      sb.append(i == at ? "[" + h + "]" : h);
    }
    if (at >= b.length) {
      sb.append(from < to ? " " : "").append("[end]");
    } else if (to < b.length) {
      sb.append(" ...");
    }
    return sb.toString();
  }

  /** Lower-case hex, space separated. */
  public static String hex(byte[] b, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      if (i > from) {
        sb.append(' ');
      }
      sb.append(String.format("%02x", b[i] & 0xFF));
    }
    return sb.toString();
  }

  public static String hex(byte[] b) {
    return hex(b, 0, b.length);
  }
}
