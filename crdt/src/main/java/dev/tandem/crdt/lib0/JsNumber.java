package dev.tandem.crdt.lib0;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * JavaScript's {@code Number.prototype.toString()} for doubles (ECMA-262 Number::toString):
 * shortest round-trip digits, integers without ".0", plain notation for decimal exponents in
 * [-6, 21), otherwise {@code 1.5e+21} style. Java 17's {@code Double.toString} differs in all
 * three respects, and JSON text that Yjs stores depends on the exact form.
 */
public final class JsNumber {
  private JsNumber() {}

  public static String toString(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return "0"; // also -0
    }
    if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
      // below 2^53 neighbouring doubles are at most 1 apart, so all digits are needed
      return Long.toString((long) d);
    }
    boolean negative = d < 0;
    BigDecimal exact = new BigDecimal(Math.abs(d));
    String digits = null;
    int pointPos = 0;
    for (int p = 1; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == Math.abs(d)) {
        BigDecimal stripped = r.stripTrailingZeros();
        digits = stripped.unscaledValue().toString();
        // value = digits * 10^-scale = 0.digits * 10^(len - scale)
        pointPos = digits.length() - stripped.scale();
        break;
      }
    }
    if (digits == null) {
      throw new IllegalStateException("no round-trip representation for " + d);
    }
    return (negative ? "-" : "") + layout(digits, pointPos);
  }

  /** Lays out {@code 0.digits * 10^n} as ECMA-262 prescribes. */
  private static String layout(String s, int n) {
    int k = s.length();
    StringBuilder b = new StringBuilder(k + 8);
    if (k <= n && n <= 21) {
      b.append(s);
      for (int i = 0; i < n - k; i++) {
        b.append('0');
      }
    } else if (0 < n && n <= 21) {
      b.append(s, 0, n).append('.').append(s, n, k);
    } else if (-6 < n && n <= 0) {
      b.append("0.");
      for (int i = 0; i < -n; i++) {
        b.append('0');
      }
      b.append(s);
    } else {
      int e = n - 1;
      b.append(s.charAt(0));
      if (k > 1) {
        b.append('.').append(s, 1, k);
      }
      b.append('e').append(e >= 0 ? '+' : '-').append(Math.abs(e));
    }
    return b.toString();
  }
}
