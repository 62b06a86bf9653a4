package dev.tandem.crdt.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * JavaScript's {@code Number.prototype.toString()} (ECMA-262 Number::toString, radix 10): the
 * shortest digit string that reads back as the same double (among equally short ones the
 * closest to the exact value, ties to even, as V8 does), integers without ".0", plain notation
 * for decimal exponents in [-6, 21), otherwise {@code 1.5e+21} style. Java 17's {@code
 * Double.toString} differs in all three respects, and the JSON text Yjs stores depends on the
 * exact form.
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
    double a = Math.abs(d);
    BigDecimal exact = new BigDecimal(a);
    BigDecimal best = null;
    for (int p = 1; p <= 17 && best == null; p++) {
      // The p-digit values next to the exact one; either may be the only one that reads back
      // (the rounding interval is asymmetric at powers of two).
      BigDecimal lo = exact.round(new MathContext(p, RoundingMode.FLOOR));
      BigDecimal hi = exact.round(new MathContext(p, RoundingMode.CEILING));
      boolean loOk = lo.doubleValue() == a;
      boolean hiOk = hi.doubleValue() == a;
      if (loOk && hiOk && lo.compareTo(hi) != 0) {
        int c = exact.subtract(lo).compareTo(hi.subtract(exact));
        if (c == 0) {
          best = lo.unscaledValue().testBit(0) ? hi : lo; // equally close: the even one
        } else {
          best = c < 0 ? lo : hi;
        }
      } else if (loOk) {
        best = lo;
      } else if (hiOk) {
        best = hi;
      }
    }
    if (best == null) {
      throw new IllegalStateException("no round-trip representation for " + d);
    }
    BigDecimal stripped = best.stripTrailingZeros();
    String digits = stripped.unscaledValue().toString();
    // value = digits * 10^-scale = 0.digits * 10^(len - scale)
    int pointPos = digits.length() - stripped.scale();
    return (d < 0 ? "-" : "") + layout(digits, pointPos);
  }

  /** Lays out {@code 0.digits * 10^n} as ECMA-262 prescribes. */
  private static String layout(String s, int n) {
    int k = s.length();
    StringBuilder b = new StringBuilder(k + 8);
    if (k <= n && n <= 21) {
      b.append(s);
      b.append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      b.append(s, 0, n).append('.').append(s, n, k);
    } else if (-6 < n && n <= 0) {
      b.append("0.").append("0".repeat(-n)).append(s);
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
