package dev.tandem.crdt.lib0;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Growable byte sink writing lib0's binary encodings, byte-identical to {@code lib0/encoding}.
 *
 * <p>JavaScript numbers are doubles; this encoder takes Java {@code long}s for the integer
 * encodings (callers stay within 2^53) and applies lib0's own rules to decide how a value of
 * {@code any} is written, so a value decoded and re-encoded produces what Yjs would produce.
 */
public final class Lib0Encoder {
  private static final long BITS31 = 0x7FFFFFFFL;

  private byte[] buf;
  private int pos;
  /** {@link #buf} was returned by {@link #toByteArray}: it must not be written again. */
  private boolean shared;

  public Lib0Encoder() {
    this(64);
  }

  public Lib0Encoder(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  public int length() {
    return pos;
  }

  /**
   * The bytes written so far. When the buffer is exactly full (a correctly pre-sized encoder)
   * it is handed out without a copy; later writes never change an array handed out.
   */
  public byte[] toByteArray() {
    if (pos == buf.length) {
      shared = true;
      return buf;
    }
    return Arrays.copyOf(buf, pos);
  }

  /** Drops everything written so far, keeping the buffer (unless it was handed out). */
  public void reset() {
    if (shared) {
      buf = new byte[buf.length];
      shared = false;
    }
    pos = 0;
  }

  private void ensure(int extra) {
    int need = pos + extra;
    if (need > buf.length) {
      int cap = buf.length;
      while (cap < need) {
        cap = cap < (1 << 29) ? cap << 1 : Integer.MAX_VALUE - 8;
        if (cap < need && cap == Integer.MAX_VALUE - 8) {
          throw new IllegalStateException("encoded data exceeds 2 GiB");
        }
      }
      buf = Arrays.copyOf(buf, cap);
      shared = false;
    }
  }

  public Lib0Encoder writeUint8(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
    return this;
  }

  public Lib0Encoder writeBytes(byte[] bytes) {
    return writeBytes(bytes, 0, bytes.length);
  }

  public Lib0Encoder writeBytes(byte[] bytes, int off, int len) {
    ensure(len);
    System.arraycopy(bytes, off, buf, pos, len);
    pos += len;
    return this;
  }

  /** Big-endian, as lib0's {@code writeUint32BigEndian}. */
  public Lib0Encoder writeUint32BigEndian(long v) {
    ensure(4);
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
    return this;
  }

  public Lib0Encoder writeVarUint(long v) {
    if (v >= 0 && v < 0x80 && pos < buf.length) {
      buf[pos++] = (byte) v;
      return this;
    }
    return writeVarUintSlow(v);
  }

  private Lib0Encoder writeVarUintSlow(long v) {
    if (v < 0 || v > Lib0Decoder.MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException("var-uint out of range: " + v);
    }
    if (buf.length - pos < 8) {
      ensure(varUintSize(v)); // exact, so that a pre-sized buffer ends up exactly full
    }
    while (v > 0x7F) {
      buf[pos++] = (byte) (0x80 | (v & 0x7F));
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
    return this;
  }

  public Lib0Encoder writeVarInt(long v) {
    return writeVarInt(Math.abs(v), v < 0);
  }

  /**
   * Writes a signed var-int given as magnitude and sign, so that JavaScript's {@code -0}
   * (which lib0's run-length encoders use as a flag) can be expressed.
   */
  public Lib0Encoder writeVarInt(long magnitude, boolean negative) {
    if (magnitude >= 0 && magnitude <= 0x3F && pos < buf.length) {
      buf[pos++] = (byte) ((negative ? 0x40 : 0) | magnitude);
      return this;
    }
    if (magnitude < 0 || magnitude > Lib0Decoder.MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException("var-int out of range: " + magnitude);
    }
    if (buf.length - pos < 9) {
      ensure(9);
    }
    buf[pos++] = (byte) ((magnitude > 0x3F ? 0x80 : 0) | (negative ? 0x40 : 0) | (magnitude & 0x3F));
    magnitude >>>= 6;
    while (magnitude > 0) {
      buf[pos++] = (byte) ((magnitude > 0x7F ? 0x80 : 0) | (magnitude & 0x7F));
      magnitude >>>= 7;
    }
    return this;
  }

  public Lib0Encoder writeFloat32(float v) {
    return writeUint32BigEndian(Float.floatToRawIntBits(v) & 0xFFFFFFFFL);
  }

  public Lib0Encoder writeFloat64(double v) {
    long bits = Double.doubleToRawLongBits(v);
    writeUint32BigEndian(bits >>> 32);
    return writeUint32BigEndian(bits & 0xFFFFFFFFL);
  }

  public Lib0Encoder writeBigInt64(long v) {
    writeUint32BigEndian(v >>> 32);
    return writeUint32BigEndian(v & 0xFFFFFFFFL);
  }

  /**
   * Writes the chars of {@code s} as one byte each, without a length. The caller knows that
   * every char is ASCII (a string decoded from ASCII bytes), which makes this a plain copy.
   */
  @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) is the JDK's only copying Latin-1 export
  public Lib0Encoder writeAscii(String s) {
    int n = s.length();
    ensure(n);
    s.getBytes(0, n, buf, pos);
    pos += n;
    return this;
  }

  public Lib0Encoder writeVarString(String s) {
    int n = s.length();
    // optimistic: ASCII, so the byte length is the char count
    int prefix = varUintSize(n);
    ensure(prefix + n);
    int start = pos;
    int end = JsUtf8.encodeAsciiInto(s, buf, start + prefix);
    if (end >= 0) {
      writeVarUint(n);
      pos = end;
      return this;
    }
    int len = JsUtf8.encodedLength(s);
    writeVarUint(len);
    ensure(len);
    pos = JsUtf8.encodeInto(s, buf, pos);
    return this;
  }

  /** {@code s} as UTF-8 the way JavaScript's TextEncoder writes it, without a length prefix. */
  public Lib0Encoder writeUtf8(String s) {
    int n = s.length();
    ensure(n);
    int end = JsUtf8.encodeAsciiInto(s, buf, pos);
    if (end >= 0) {
      pos = end;
      return this;
    }
    int len = JsUtf8.encodedLength(s);
    ensure(len);
    pos = JsUtf8.encodeInto(s, buf, pos);
    return this;
  }

  /** Drops the bytes from {@code length} on. */
  public void truncate(int length) {
    if (length < 0 || length > pos) {
      throw new IndexOutOfBoundsException("truncate to " + length + " of " + pos);
    }
    if (shared) {
      buf = buf.clone();
      shared = false;
    }
    pos = length;
  }

  /** Number of bytes {@link #writeVarUint} takes for {@code v} (0 <= v < 2^53). */
  public static int varUintSize(long v) {
    int n = 1;
    while (v > 0x7F) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /** Writes {@code other}'s bytes so far (without a length prefix). */
  public Lib0Encoder writeEncoded(Lib0Encoder other) {
    return writeBytes(other.buf, 0, other.pos);
  }

  /** Writes {@code other}'s bytes so far with a var-uint length prefix. */
  public Lib0Encoder writeVarEncoded(Lib0Encoder other) {
    writeVarUint(other.pos);
    return writeBytes(other.buf, 0, other.pos);
  }

  public Lib0Encoder writeVarUint8Array(byte[] bytes) {
    writeVarUint(bytes.length);
    return writeBytes(bytes);
  }

  /**
   * Writes a value of lib0's {@code any} type. Java mapping: {@link Undefined#INSTANCE},
   * {@code null}, {@link Boolean}, {@link String}, any {@link Number} except {@link BigInteger}
   * (a JavaScript number), {@link BigInteger} (a bigint, 64-bit), {@code byte[]}
   * (Uint8Array), {@link List} (array) and {@link Map} with string keys (object, written in
   * JavaScript's own key order).
   */
  public Lib0Encoder writeAny(Object v) {
    if (v == null) {
      return writeUint8(126);
    }
    if (v instanceof String s) {
      writeUint8(119);
      return writeVarString(s);
    }
    if (v instanceof Boolean b) {
      return writeUint8(b ? 120 : 121);
    }
    if (v instanceof BigInteger big) {
      writeUint8(122);
      return writeBigInt64(big.longValue());
    }
    if (v instanceof Number n) {
      writeNumber(n.doubleValue());
      return this;
    }
    if (v instanceof byte[] bytes) {
      writeUint8(116);
      return writeVarUint8Array(bytes);
    }
    if (v instanceof List<?> list) {
      writeUint8(117);
      writeVarUint(list.size());
      for (Object o : list) {
        writeAny(o);
      }
      return this;
    }
    if (v instanceof Map<?, ?> map) {
      writeUint8(118);
      List<String> keys = JsObjectKeys.ordered(map);
      writeVarUint(keys.size());
      for (String key : keys) {
        writeVarString(key);
        writeAny(map.get(key));
      }
      return this;
    }
    if (v instanceof Undefined) {
      return writeUint8(127);
    }
    throw new IllegalArgumentException("not a lib0 any value: " + v.getClass().getName());
  }

  private void writeNumber(double d) {
    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) <= BITS31) {
      writeUint8(125);
      boolean negative = d < 0 || (d == 0 && 1 / d < 0);
      writeVarInt((long) Math.abs(d), negative);
    } else if (Double.isNaN(d) || (double) (float) d == d) {
      // lib0's isFloat32: the value survives a float32 round trip (NaN never compares equal,
      // so lib0 writes NaN as float64).
      if (Double.isNaN(d)) {
        writeUint8(123);
        writeFloat64(d);
      } else {
        writeUint8(124);
        writeFloat32((float) d);
      }
    } else {
      writeUint8(123);
      writeFloat64(d);
    }
  }
}
