package dev.tandem.crdt.lib0;

import static dev.tandem.crdt.oracle.ByteAsserts.assertSameBytes;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.crdt.oracle.OracleFixtures;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every value of {@code lib0.json} (written by lib0 0.2.120, the version yjs 13.6.33 uses):
 * {@link Lib0Decoder} must read exactly the bytes lib0 wrote and produce the value lib0's own
 * decoder produced, and {@link Lib0Encoder} must write that value back exactly as lib0 does.
 */
class Lib0OracleTest {

  static Stream<Arguments> entries() {
    JsonNode entries = OracleFixtures.lib0().get("entries");
    List<Arguments> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonNode e = entries.get(i);
      out.add(Arguments.of(i, e.get("kind").asText(), e.get("seed").isNull() ? -1L : e.get("seed").asLong(), e));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "#{0} {1} seed {2}")
  @MethodSource("entries")
  void decodeAndReencodeMatchLib0(int index, String kind, long seed, JsonNode entry) {
    String what = "lib0 " + kind + " #" + index + (seed < 0 ? " (fixed edge case)" : "");
    byte[] bytes = OracleFixtures.bytes(entry, "bytes");
    byte[] expectedReencoded = OracleFixtures.bytes(entry, "reencoded");
    Lib0Decoder d = new Lib0Decoder(bytes);
    Lib0Encoder enc = new Lib0Encoder();
    Object value;
    Object expectedValue;
    JsonNode tagged = entry.get("value");
    switch (kind) {
      case "any":
        value = d.readAny();
        enc.writeAny(value);
        expectedValue = OracleFixtures.toJava(tagged);
        break;
      case "varString":
        value = d.readVarString();
        enc.writeVarString((String) value);
        expectedValue = tagged.textValue();
        break;
      case "varUint":
        value = (double) d.readVarUint();
        enc.writeVarUint((long) (double) (Double) value);
        expectedValue = OracleFixtures.toJava(tagged);
        break;
      case "varInt":
        {
          long raw = d.readVarIntRaw();
          long v = Lib0Decoder.rawValue(raw);
          value = v == 0 && Lib0Decoder.rawNegative(raw) ? -0.0 : (double) v;
          enc.writeVarInt(Math.abs(v), Lib0Decoder.rawNegative(raw));
          expectedValue = OracleFixtures.toJava(tagged);
          break;
        }
      case "float32":
        value = (double) d.readFloat32();
        enc.writeFloat32((float) (double) (Double) value);
        expectedValue = OracleFixtures.toJava(tagged);
        break;
      case "float64":
        value = d.readFloat64();
        enc.writeFloat64((Double) value);
        expectedValue = OracleFixtures.toJava(tagged);
        break;
      case "bigInt64":
        value = BigInteger.valueOf(d.readBigInt64());
        enc.writeBigInt64(((BigInteger) value).longValue());
        expectedValue = OracleFixtures.toJava(tagged);
        break;
      case "varUint8Array":
        value = d.readVarUint8Array();
        enc.writeVarUint8Array((byte[]) value);
        expectedValue = OracleFixtures.toJava(tagged);
        break;
      default:
        throw new IllegalStateException("unknown lib0 fixture kind " + kind);
    }
    assertFalse(d.hasContent(), what + " (seed " + seed + "): decoder left " + d.remaining() + " bytes unread");
    String diff = Lib0Values.difference(expectedValue, value, "$");
    if (diff != null) {
      fail(what + " (seed " + seed + "): decoded value differs from lib0's at " + diff);
    }
    assertSameBytes(what + " re-encoded", seed, expectedReencoded, enc.toByteArray());
  }

  @Test
  void fixtureCoversEveryKind() {
    Set<String> kinds = new TreeSet<>();
    OracleFixtures.lib0().get("entries").forEach(e -> kinds.add(e.get("kind").asText()));
    assertTrue(
        kinds.containsAll(
            List.of("any", "varString", "varUint", "varInt", "float32", "float64", "bigInt64", "varUint8Array")),
        "lib0.json kinds: " + kinds);
  }

  /** Deep comparison of lib0 {@code any} values in the Java model. */
  static final class Lib0Values {
    private Lib0Values() {}

    /** Path of the first difference, or null when equal (doubles bitwise: -0 != 0, NaN == NaN). */
    static String difference(Object expected, Object actual, String path) {
      if (expected == null || actual == null) {
        return expected == actual ? null : path + ": expected " + show(expected) + " but was " + show(actual);
      }
      if (expected instanceof byte[] e) {
        return actual instanceof byte[] a && Arrays.equals(e, a)
            ? null
            : path + ": expected bytes " + show(expected) + " but was " + show(actual);
      }
      if (expected instanceof List<?> e) {
        if (!(actual instanceof List<?> a)) {
          return path + ": expected array but was " + show(actual);
        }
        if (e.size() != a.size()) {
          return path + ": expected " + e.size() + " elements but was " + a.size();
        }
        for (int i = 0; i < e.size(); i++) {
          String d = difference(e.get(i), a.get(i), path + "[" + i + "]");
          if (d != null) {
            return d;
          }
        }
        return null;
      }
      if (expected instanceof Map<?, ?> e) {
        if (!(actual instanceof Map<?, ?> a)) {
          return path + ": expected object but was " + show(actual);
        }
        List<?> ek = new ArrayList<>(e.keySet());
        List<?> ak = JsObjectKeys.ordered(a);
        if (!ek.equals(ak)) {
          return path + ": expected keys (in JS order) " + ek + " but were " + ak;
        }
        for (Object k : ek) {
          String d = difference(e.get(k), a.get(k), path + "." + k);
          if (d != null) {
            return d;
          }
        }
        return null;
      }
      if (expected instanceof Double e) {
        return actual instanceof Double a && e.equals(a)
            ? null
            : path + ": expected number " + show(expected) + " but was " + show(actual);
      }
      return expected.equals(actual) ? null : path + ": expected " + show(expected) + " but was " + show(actual);
    }

    private static String show(Object o) {
      if (o == null) {
        return "null";
      }
      if (o instanceof byte[] b) {
        return "<" + dev.tandem.crdt.oracle.ByteAsserts.hex(b) + ">";
      }
      return o + " (" + o.getClass().getSimpleName() + ")";
    }
  }
}
