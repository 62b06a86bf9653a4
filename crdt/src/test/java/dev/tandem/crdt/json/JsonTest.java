package dev.tandem.crdt.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.lib0.Undefined;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected texts are what Node's Number#toString / JSON.stringify / JSON.parse give. */
class JsonTest {
  @Test
  void parsesWhatJsonParseAccepts() {
    assertThat(Json.parse(" {\"a\":[1,-0.5e2,true,false,null,\"\\u00e9\\n\\/\"]}\r\n\t"))
        .isEqualTo(Map.of("a", Arrays.asList(1.0, -50.0, true, false, null, "é\n/")));
    assertThat(Json.parse("\"\\ud800\"")).isEqualTo("\ud800");
    assertThat(Json.parse("\"a\\\"b\\\\c\\u0041d\\tE\"")).isEqualTo("a\"b\\cAd\tE");
    Map<String, Object> dup = new LinkedHashMap<>();
    dup.put("a", 3.0);
    dup.put("b", 2.0);
    assertThat(Json.parse("{\"a\":1,\"b\":2,\"a\":3}")).isEqualTo(dup);
    assertThat(Json.parse("1e400")).isEqualTo(Double.POSITIVE_INFINITY);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", 3.0);
    m.put("b", null);
    assertThat(Json.parse(" {\"a\" : [1, 2.50, -0, 1E2, \"\\u00e9\\/\"], \"a\": 3, \"b\":null} "))
        .isEqualTo(m);
    assertThat(Json.parse("[3,\"a\",false]")).isEqualTo(List.of(3.0, "a", false));
  }

  @Test
  void rejectsWhatJsonParseRejects() {
    for (String bad :
        List.of("", " ", "01", "1.", ".5", "+1", "-", "1e", "[1,]", "{\"a\":1,}", "{a:1}", "'a'",
            "{'a':1}", "\"\u0001\"", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "nul", "truex",
            "[1 2]", "1 2", "[", "\"a", "NaN", "Infinity", "\u00a0 1", "[1]]", "{\"a\" 1}",
            "\"\\u\u0661234\"")) {
      assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(MalformedDataException.class);
      assertThatThrownBy(() -> Json.validateIsNull(bad))
          .as(bad)
          .isInstanceOf(MalformedDataException.class);
      assertThatThrownBy(() -> Json.canonicalize(bad))
          .as(bad)
          .isInstanceOf(MalformedDataException.class);
    }
  }

  @Test
  void errorOffsetIsTheCharIndex() {
    assertThatThrownBy(() -> Json.parse("[1,x]"))
        .isInstanceOfSatisfying(
            MalformedDataException.class, e -> assertThat(e.offset()).isEqualTo(3));
  }

  @Test
  void validateTellsNull() {
    assertThat(Json.validateIsNull(" null\n")).isTrue();
    assertThat(Json.validateIsNull("{\"a\":null}")).isFalse();
    assertThat(Json.validateIsNull("0")).isFalse();
  }

  /** Same rule as lib0's readAny: a value may sit at most 256 levels below the top value. */
  @Test
  void limitsNesting() {
    String ok = "[".repeat(257) + "]".repeat(257); // innermost (empty) array at depth 256
    assertThat(Json.validateIsNull(ok)).isFalse();
    assertThat(Json.canonicalize(ok)).isEqualTo(ok);
    String okScalar = "[".repeat(256) + "1" + "]".repeat(256); // the 1 at depth 256
    assertThat(Json.parse(okScalar)).isNotNull();
    String deep = "[".repeat(258) + "]".repeat(258);
    assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(MalformedDataException.class);
    String deepScalar = "[".repeat(257) + "1" + "]".repeat(257);
    assertThatThrownBy(() -> Json.parse(deepScalar)).isInstanceOf(MalformedDataException.class);
    String hostile = "[".repeat(1_000_000);
    assertThatThrownBy(() -> Json.validateIsNull(hostile))
        .isInstanceOf(MalformedDataException.class);
    assertThatThrownBy(() -> Json.parse("{\"a\":".repeat(100_000)))
        .isInstanceOf(MalformedDataException.class);
    // writing: whatever parses writes back; a deeper Java value is refused, not a stack overflow
    Object nested = Json.parse(ok);
    assertThat(Json.stringify(nested)).isEqualTo(ok);
    List<Object> tooDeep = new ArrayList<>();
    List<Object> cur = tooDeep;
    for (int i = 0; i < 300; i++) {
      List<Object> next = new ArrayList<>();
      cur.add(next);
      cur = next;
    }
    assertThatThrownBy(() -> Json.stringify(tooDeep)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stringifiesAsJavaScript() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", "x\"\\\b\f\n\r\t\u0001\u007f\u2028😀\ud800/");
    m.put("1", Undefined.INSTANCE);
    m.put("4294967295", 1);
    m.put("4294967294", -0.0);
    m.put("a", Arrays.asList(Undefined.INSTANCE, Double.NaN, 1e21, 1e-7, 123456789L, null));
    assertThat(Json.stringify(m))
        .isEqualTo(
            "{\"4294967294\":0,\"b\":\"x\\\"\\\\\\b\\f\\n\\r\\t\\u0001\u007f\u2028😀\\ud800/\","
                + "\"4294967295\":1,\"a\":[null,null,1e+21,1e-7,123456789,null]}");
    assertThat(Json.stringify(null)).isEqualTo("null");

    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("b", 1.0);
    obj.put("10", "x");
    obj.put("2", Arrays.asList(Undefined.INSTANCE, null, true, Double.NaN));
    obj.put("u", Undefined.INSTANCE);
    obj.put("s", "q\"\\\n\u0001\uD800\uDC00\uDE00\uD83D\uDE00");
    obj.put("bin", new byte[] {1, (byte) 200}); // a Uint8Array: the object of its indexes
    assertThat(Json.stringify(obj))
        .isEqualTo(
            "{\"2\":[null,null,true,null],\"10\":\"x\",\"b\":1,"
                + "\"s\":\"q\\\"\\\\\\n\\u0001\uD800\uDC00\\ude00\uD83D\uDE00\","
                + "\"bin\":{\"0\":1,\"1\":200}}");
  }

  @Test
  void stringifyRefusesWhatJavaScriptCannotWrite() {
    assertThat(Json.stringify(Undefined.INSTANCE)).isNull(); // JavaScript returns undefined
    assertThatThrownBy(() -> Json.stringify(BigInteger.ONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.stringify(List.of(new Object())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void canonicalizeIsStringifyOfParse() {
    assertThat(Json.canonicalize("[1.0, 1e400, \"x\"]")).isEqualTo("[1,null,\"x\"]");
    String canonical = "{\"x\":1}";
    assertThat(Json.canonicalize(canonical)).isSameAs(canonical);
    assertThat(Json.canonicalize("{\"b\":1,\"2\":2,\"1\":3,\"b\":4}"))
        .isEqualTo("{\"1\":3,\"2\":2,\"b\":4}");
    assertThat(Json.canonicalize("\"\\ud800\\u00e9\\/\"")).isEqualTo("\"\\ud800é/\"");
  }

  @Test
  void numbersFollowNumberToString() {
    Object[][] cases = {
      {0.0, "0"}, {-0.0, "0"}, {1.0, "1"}, {-1.0, "-1"}, {1.5, "1.5"}, {0.1, "0.1"},
      {-2.5, "-2.5"}, {1e21, "1e+21"}, {1e-7, "1e-7"}, {1.5e-7, "1.5e-7"}, {2e-7, "2e-7"},
      {123e-20, "1.23e-18"}, {123456789012345680000.0, "123456789012345680000"},
      {5e-324, "5e-324"}, {1.7976931348623157e308, "1.7976931348623157e+308"},
      {9007199254740992.0, "9007199254740992"}, {9007199254740994.0, "9007199254740994"},
      {-1e-6, "-0.000001"}, {1e-6, "0.000001"}, {1e20, "100000000000000000000"},
      {123.456, "123.456"}, {100.0, "100"}, {1.0 / 3, "0.3333333333333333"},
      {Math.pow(2, 60), "1152921504606847000"}, {Math.pow(2, 70), "1.1805916207174113e+21"},
      {4.35e-5, "0.0000435"}, {0.1 + 0.2, "0.30000000000000004"},
      {Double.MIN_NORMAL, "2.2250738585072014e-308"}, {9.5367431640625e-7, "9.5367431640625e-7"},
      // powers of two, where the rounding interval is asymmetric
      {Math.pow(2, -1074), "5e-324"}, {Math.pow(2, 1023), "8.98846567431158e+307"},
      {Math.pow(2, -30), "9.313225746154785e-10"}, {Math.pow(2, 100), "1.2676506002282294e+30"},
      {Double.NaN, "NaN"}, {Double.POSITIVE_INFINITY, "Infinity"},
      {Double.NEGATIVE_INFINITY, "-Infinity"}
    };
    for (Object[] c : cases) {
      assertThat(JsNumber.toString((Double) c[0])).as("%s", c[0]).isEqualTo(c[1]);
    }
  }
}
