package dev.tandem.crdt.json;

import java.util.Locale;

/**
 * JavaScript's {@code Number.prototype.toString()} for finite doubles (ECMA-262
 * Number::toString, radix 10): the shortest digit string that reads back as the same double,
 * laid out in plain or exponent form by the decimal exponent. {@link Double#toString} differs
 * in layout (and, before JDK 19, sometimes in digits), so JSON text must not use it.
 */
public final class JsNumber {
  private JsNumber() {}

  public static String toString(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    if (v == 0) {
      return "0"; // both zeros
    }
    if (v == Math.rint(v) && Math.abs(v) <= 9007199254740992.0) {
      // Integral up to 2^53: every digit is significant, so the plain digits are the answer.
      // (Above that JavaScript prints the shortest digits padded with zeros, handled below.)
      return Long.toString((long) v);
    }
    String sign = v < 0 ? "-" : "";
    double a = Math.abs(v);
    // Shortest round-tripping significand: the correctly rounded p-digit value for the
    // smallest p that reads back as the same double (ties between equally short candidates go
    // to the closest, as the specification asks).
    String digits = null;
    int exp = 0;
    for (int p = 1; p <= 17; p++) {
      String s = String.format(Locale.ROOT, "%." + (p - 1) + "e", a);
      if (Double.parseDouble(s) == a) {
        int e = s.indexOf('e');
        digits = s.substring(0, e).replace(".", "");
        exp = Integer.parseInt(s.substring(e + 1));
        break;
      }
    }
    if (digits == null) {
      throw new AssertionError("no round-tripping representation for " + v);
    }
    // strip trailing zeros from the significand (possible when p rounding carried)
    int end = digits.length();
    while (end > 1 && digits.charAt(end - 1) == '0') {
      end--;
    }
    digits = digits.substring(0, end);
    int k = digits.length();
    int n = exp + 1; // decimal point position
    StringBuilder sb = new StringBuilder(sign);
    if (k <= n && n <= 21) {
      sb.append(digits);
      sb.append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      sb.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      sb.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      int e = n - 1;
      sb.append(digits.charAt(0));
      if (k > 1) {
        sb.append('.').append(digits, 1, k);
      }
      sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return sb.toString();
  }
}
