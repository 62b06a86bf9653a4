package dev.tandem.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the textual forms of configuration values. All throw IllegalArgumentException. */
final class Values {
  private Values() {}

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

  static int port(String raw) {
    int p = integer(raw);
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("must be a port number 0..65535 (0 = any free port), got " + raw);
    }
    return p;
  }

  static int integer(String raw) {
    try {
      return Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be an integer, got '" + raw + "'");
    }
  }

  static int positiveInt(String raw) {
    long v = positiveLong(raw);
    if (v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("must be at most " + Integer.MAX_VALUE + ", got " + raw);
    }
    return (int) v;
  }

  static long positiveLong(String raw) {
    long v;
    try {
      v = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a positive integer, got '" + raw + "'");
    }
    if (v <= 0) {
      throw new IllegalArgumentException("must be a positive integer, got " + raw);
    }
    return v;
  }

  /** {@code 1048576}, {@code 512KiB}, {@code 4MiB}, {@code 1GiB}; must be positive. */
  /** A size between 1KiB and 1GiB (fits a websocket message limit, an int). */
  static long messageSize(String raw) {
    long n = size(raw);
    if (n < 1024 || n > 1024L * 1024 * 1024) {
      throw new IllegalArgumentException("must be between 1KiB and 1GiB, got '" + raw + "'");
    }
    return n;
  }

  static long size(String raw) {
    Matcher m = SIZE.matcher(raw.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("must be a byte size like 1048576, 512KiB, 4MiB or 1GiB, got '" + raw + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    long mult = switch (unit) {
      case "KiB" -> 1024L;
      case "MiB" -> 1024L * 1024;
      case "GiB" -> 1024L * 1024 * 1024;
      default -> 1L;
    };
    if (n <= 0) {
      throw new IllegalArgumentException("must be positive, got '" + raw + "'");
    }
    try {
      return Math.multiplyExact(n, mult);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("too large: '" + raw + "'");
    }
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}; zero allowed. */
  static Duration duration(String raw) {
    Matcher m = DURATION.matcher(raw.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("must be a duration like 500ms, 30s, 5m or 1h, got '" + raw + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  static Duration positiveDuration(String raw) {
    Duration d = duration(raw);
    if (d.isZero()) {
      throw new IllegalArgumentException("must be greater than zero, got '" + raw + "'");
    }
    return d;
  }

  static <E extends Enum<E>> E enumValue(Class<E> type, String raw) {
    String v = raw.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(v)) {
        return e;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      if (allowed.length() > 0) {
        allowed.append(", ");
      }
      allowed.append(e.name().toLowerCase(Locale.ROOT));
    }
    throw new IllegalArgumentException("must be one of " + allowed + ", got '" + raw + "'");
  }

  /** Empty (embedded Redis) or a {@code redis://}, {@code rediss://} or {@code unix://} URL. */
  static String redisUrl(String raw) {
    String v = raw.trim();
    if (v.isEmpty()) {
      return "";
    }
    if (!(v.startsWith("redis://") || v.startsWith("rediss://") || v.startsWith("unix://"))) {
      throw new IllegalArgumentException("must be empty (embedded Redis) or a redis://, rediss:// or unix:// URL");
    }
    try {
      java.net.URI.create(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not a valid URL: " + e.getMessage());
    }
    return v;
  }

  static String keyPrefix(String raw) {
    String v = raw.trim();
    if (v.isEmpty() || v.length() > 64) {
      throw new IllegalArgumentException("must be 1..64 characters");
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.';
      if (!ok) {
        throw new IllegalArgumentException("may only contain letters, digits, '-', '_' and '.', got '" + raw + "'");
      }
    }
    return v;
  }

  static String nonBlank(String raw) {
    if (raw.isBlank()) {
      throw new IllegalArgumentException("must not be blank");
    }
    return raw.trim();
  }

  static String nodeId(String raw) {
    String v = raw.trim();
    if (v.length() > 128) {
      throw new IllegalArgumentException("must be at most 128 characters");
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c <= 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("must not contain spaces or control characters");
      }
    }
    return v;
  }

  /** An HMAC secret: empty (none) or at least 32 bytes of UTF-8. Never echoes the value. */
  static String hmacSecret(String raw) {
    if (raw.isEmpty()) {
      return raw;
    }
    int bytes = raw.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes < 32) {
      throw new IllegalArgumentException("must be at least 32 bytes (256 bits) for HS256, got " + bytes + " bytes");
    }
    return raw;
  }

  /** Clock skew tolerated on exp/nbf/iat: whole seconds, 0..10m. */
  static Duration leeway(String raw) {
    Duration d = duration(raw);
    if (d.compareTo(Duration.ofMinutes(10)) > 0 || d.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("must be whole seconds between 0s and 10m, got '" + raw + "'");
    }
    return d;
  }

  /** A fraction written {@code 75%} or {@code 0.75}: greater than 0, at most 100%. */
  static double percent(String raw) {
    String v = raw.trim();
    double d;
    try {
      d = v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1).trim()) / 100 : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a percentage like 75% (or a fraction like 0.75), got '" + raw + "'");
    }
    if (!(d > 0 && d <= 1)) {
      throw new IllegalArgumentException("must be greater than 0% and at most 100%, got '" + raw + "'");
    }
    return d;
  }
}
