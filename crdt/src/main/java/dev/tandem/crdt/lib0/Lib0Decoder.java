package dev.tandem.crdt.lib0;

import dev.tandem.crdt.MalformedDataException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounds-checked reader of lib0's binary encodings. Every failure (truncation, an integer past
 * 2^53-1, a length beyond the buffer, invalid UTF-8, unknown {@code any} tag, absurd nesting)
 * is a {@link MalformedDataException} carrying the offset; nothing here can allocate more than
 * the input's own size.
 */
public final class Lib0Decoder {
  /** JavaScript's {@code Number.MAX_SAFE_INTEGER}: lib0 integers and Yjs clocks stay within it. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
  private static final String PROTO_KEY = "__proto__";
  /** Deeper {@code any} nesting than this is treated as hostile (it would only blow the stack). */
  public static final int MAX_ANY_DEPTH = 256;

  private final byte[] buf;
  private final int start;
  private final int end;
  private int pos;
  /** Array index that error offsets are measured from (the slice start unless told otherwise). */
  private int reportBase;

  public Lib0Decoder(byte[] buf) {
    this(buf, 0, buf.length);
  }

  /**
   * A decoder over {@code buf[offset, offset+length)} whose error offsets are array indexes
   * (not slice-relative), so that a column embedded in a larger message reports where in the
   * whole message it failed.
   */
  public static Lib0Decoder slice(byte[] buf, int offset, int length) {
    Lib0Decoder d = new Lib0Decoder(buf, offset, length);
    d.reportBase = 0;
    return d;
  }

  public Lib0Decoder(byte[] buf, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > buf.length) {
      throw new IndexOutOfBoundsException("bad slice");
    }
    this.buf = buf;
    this.start = offset;
    this.end = offset + length;
    this.pos = offset;
    this.reportBase = offset;
  }

  /** Offset relative to the start of this decoder's slice. */
  public int position() {
    return pos - start;
  }

  public int remaining() {
    return end - pos;
  }

  public boolean hasContent() {
    return pos < end;
  }

  public MalformedDataException error(String message) {
    return new MalformedDataException(message, pos - reportBase);
  }

  /** The offset that {@link #error} would report for the current position. */
  public int errorOffset() {
    return pos - reportBase;
  }

  private void require(long n) {
    if (n > end - pos) {
      throw error("unexpected end of data: need " + n + " bytes, " + (end - pos) + " left");
    }
  }

  public int readUint8() {
    if (pos >= end) {
      require(1);
    }
    return buf[pos++] & 0xFF;
  }

  public byte[] readBytes(int n) {
    if (n < 0) {
      throw error("negative length");
    }
    require(n);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  /** Skips {@code n} bytes and returns the absolute array offset where they started. */
  public int skip(int n) {
    require(n);
    int at = pos;
    pos += n;
    return at;
  }

  /** The underlying array, for zero-copy slicing together with {@link #skip}. */
  public byte[] array() {
    return buf;
  }

  public long readUint32BigEndian() {
    require(4);
    long v =
        (buf[pos] & 0xFFL) << 24
            | (buf[pos + 1] & 0xFFL) << 16
            | (buf[pos + 2] & 0xFFL) << 8
            | (buf[pos + 3] & 0xFFL);
    pos += 4;
    return v;
  }

  public long readVarUint() {
    int p = pos;
    if (p < end) {
      int b = buf[p];
      if (b >= 0) {
        pos = p + 1;
        return b;
      }
      if (p + 1 < end) {
        int b2 = buf[p + 1];
        if (b2 >= 0) {
          pos = p + 2;
          return (b & 0x7F) | b2 << 7;
        }
      }
    }
    return readVarUintSlow();
  }

  private long readVarUintSlow() {
    int p = pos;
    if (end - p >= 8) {
      // at most 8 bytes (56 bits) without bounds checks; errors are left to the checked loop
      long num = 0;
      for (int i = 0; i < 8; i++) {
        int r = buf[p + i];
        num |= (long) (r & 0x7F) << (7 * i);
        if (r >= 0) {
          if (num > MAX_SAFE_INTEGER) {
            break;
          }
          pos = p + i + 1;
          return num;
        }
      }
    }
    return readVarUintChecked();
  }

  private long readVarUintChecked() {
    int at = pos;
    long num = 0;
    int shift = 0;
    while (true) {
      if (pos >= end) {
        pos = at;
        throw error("unexpected end of data in var-uint");
      }
      int r = buf[pos++] & 0xFF;
      if (shift >= 53) {
        pos = at;
        throw error("var-uint exceeds 53 bits");
      }
      num |= (long) (r & 0x7F) << shift;
      shift += 7;
      if (num > MAX_SAFE_INTEGER) {
        pos = at;
        throw error("var-uint exceeds 53 bits");
      }
      if (r < 0x80) {
        return num;
      }
    }
  }

  /** A var-uint that must fit a Java int (lengths, counts, client-local numbers). */
  public int readVarUintAsInt() {
    int at = errorOffset();
    long v = readVarUint();
    if (v > Integer.MAX_VALUE) {
      throw new MalformedDataException("value too large: " + v, at);
    }
    return (int) v;
  }

  /**
   * A count of following elements each taking at least {@code minBytesEach} bytes; rejected
   * when the rest of the buffer could not possibly hold that many, so hostile counts never
   * drive allocation.
   */
  public int readCount(int minBytesEach) {
    int at = errorOffset();
    long v = readVarUint();
    if (v * Math.max(1, minBytesEach) > remaining() && v > 0) {
      throw new MalformedDataException("count " + v + " exceeds remaining data", at);
    }
    return (int) v;
  }

  /** Signed var-int; -0 is returned as 0 (use {@link #readVarIntRaw} to see the sign bit). */
  public long readVarInt() {
    long raw = readVarIntRaw();
    return rawValue(raw);
  }

  /**
   * Reads a var-int keeping JavaScript's negative zero distinguishable: returns the magnitude
   * shifted left by one with the sign in bit 0. Decode with {@link #rawValue}, {@link
   * #rawNegative}.
   */
  public long readVarIntRaw() {
    int p = pos;
    if (p < end) {
      int r = buf[p];
      long sign = (r >> 6) & 1;
      if (r >= 0) {
        pos = p + 1;
        return (long) (r & 0x3F) << 1 | sign;
      }
      if (end - p >= 8) {
        // at most 7 continuation bytes (shift 6..48) without bounds checks; errors are left
        // to the checked loop
        long num = r & 0x3F;
        for (int i = 1; i < 8; i++) {
          int b = buf[p + i];
          num |= (long) (b & 0x7F) << (7 * i - 1);
          if (b >= 0) {
            if (num > MAX_SAFE_INTEGER) {
              break;
            }
            pos = p + i + 1;
            return num << 1 | sign;
          }
        }
      }
    }
    return readVarIntRawChecked();
  }

  private long readVarIntRawChecked() {
    int at = pos;
    if (pos >= end) {
      throw error("unexpected end of data in var-int");
    }
    int r = buf[pos++] & 0xFF;
    long num = r & 0x3F;
    boolean negative = (r & 0x40) != 0;
    int shift = 6;
    if ((r & 0x80) != 0) {
      while (true) {
        if (pos >= end) {
          pos = at;
          throw error("unexpected end of data in var-int");
        }
        r = buf[pos++] & 0xFF;
        if (shift >= 53) {
          pos = at;
          throw error("var-int exceeds 53 bits");
        }
        num |= (long) (r & 0x7F) << shift;
        shift += 7;
        if (num > MAX_SAFE_INTEGER) {
          pos = at;
          throw error("var-int exceeds 53 bits");
        }
        if (r < 0x80) {
          break;
        }
      }
    }
    return num << 1 | (negative ? 1 : 0);
  }

  public static long rawValue(long raw) {
    long mag = raw >>> 1;
    return (raw & 1) != 0 ? -mag : mag;
  }

  public static boolean rawNegative(long raw) {
    return (raw & 1) != 0;
  }

  public float readFloat32() {
    return Float.intBitsToFloat((int) readUint32BigEndian());
  }

  public double readFloat64() {
    long hi = readUint32BigEndian();
    long lo = readUint32BigEndian();
    return Double.longBitsToDouble(hi << 32 | lo);
  }

  public long readBigInt64() {
    long hi = readUint32BigEndian();
    long lo = readUint32BigEndian();
    return hi << 32 | lo;
  }

  /**
   * Whether the string {@link #readVarString} returned last took one byte per char, i.e. was
   * pure ASCII (valid UTF-8 outside ASCII always takes more bytes than UTF-16 units).
   */
  public boolean lastStringAscii() {
    return lastStringAscii;
  }

  private boolean lastStringAscii;

  public String readVarString() {
    int at = errorOffset();
    long len = readVarUint();
    if (len > end - pos) {
      if (len > Integer.MAX_VALUE) {
        throw new MalformedDataException("value too large: " + len, at);
      }
      require(len);
    }
    int n = (int) len;
    String s = JsUtf8.decodeStrict(buf, pos, n);
    if (s == null) {
      throw new MalformedDataException("invalid UTF-8 in string", at);
    }
    pos += n;
    lastStringAscii = s.length() == n;
    return s;
  }

  public byte[] readVarUint8Array() {
    int len = readVarUintAsInt();
    return readBytes(len);
  }

  /** Reads a lib0 {@code any} value; see {@link Lib0Encoder#writeAny} for the Java mapping. */
  public Object readAny() {
    return readAny(0);
  }

  private Object readAny(int depth) {
    if (depth > MAX_ANY_DEPTH) {
      throw error("any value nested deeper than " + MAX_ANY_DEPTH);
    }
    int at = errorOffset();
    int tag = readUint8();
    switch (tag) {
      case 127:
        return Undefined.INSTANCE;
      case 126:
        return null;
      case 125:
        return readVarIntAsNumber();
      case 124:
        return (double) readFloat32();
      case 123:
        return readFloat64();
      case 122:
        return BigInteger.valueOf(readBigInt64());
      case 121:
        return Boolean.FALSE;
      case 120:
        return Boolean.TRUE;
      case 119:
        return readVarString();
      case 118:
        {
          int n = readCount(2);
          Map<String, Object> obj = new LinkedHashMap<>(Math.min(n, 64) * 2);
          for (int i = 0; i < n; i++) {
            String key = readVarString();
            Object value = readAny(depth + 1);
            // lib0 decodes into a plain object with obj[key] = value: a later duplicate key
            // replaces the value in place, and "__proto__" hits the prototype setter instead of
            // creating a property, so it vanishes from the decoded (and re-encoded) object.
            if (!PROTO_KEY.equals(key)) {
              obj.put(key, value);
            }
          }
          return obj;
        }
      case 117:
        {
          int n = readCount(1);
          List<Object> list = new ArrayList<>(Math.min(n, 1024));
          for (int i = 0; i < n; i++) {
            list.add(readAny(depth + 1));
          }
          return list;
        }
      case 116:
        return readVarUint8Array();
      default:
        throw new MalformedDataException("unknown any type tag " + tag, at);
    }
  }

  /** lib0 integers decode to JavaScript numbers; -0 stays -0. */
  private Double readVarIntAsNumber() {
    long raw = readVarIntRaw();
    long v = rawValue(raw);
    if (v == 0 && rawNegative(raw)) {
      return -0.0;
    }
    return (double) v;
  }
}
