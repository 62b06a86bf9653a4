package dev.tandem.crdt.lib0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected texts are what node 's Number#toString / JSON.stringify print. */
class JsJsonTest {
  @Test
  void numbersFormatLikeJavaScript() {
    Object[][] cases = {
      {0.0, "0"}, {-0.0, "0"}, {1.0, "1"}, {-1.0, "-1"}, {1.5, "1.5"}, {0.1, "0.1"},
      {1e21, "1e+21"}, {1e-7, "1e-7"}, {123456789012345680000.0, "123456789012345680000"},
      {5e-324, "5e-324"}, {1.7976931348623157e308, "1.7976931348623157e+308"},
      {9007199254740992.0, "9007199254740992"}, {-1e-6, "-0.000001"}, {1e20, "100000000000000000000"},
      {123.456, "123.456"}, {100.0, "100"}, {1.0 / 3, "0.3333333333333333"},
      {Math.pow(2, 70), "1.1805916207174113e+21"}, {4.35e-5, "0.0000435"}
    };
    for (Object[] c : cases) {
      assertThat(JsNumber.toString((Double) c[0])).as("%s", c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void stringifyFollowsJsonStringify() {
    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("b", 1.0);
    obj.put("10", "x");
    obj.put("2", Arrays.asList(Undefined.INSTANCE, null, true, Double.NaN));
    obj.put("u", Undefined.INSTANCE);
    obj.put("s", "q\"\\\n\u0001\uD800\uD83D\uDE00");
    obj.put("bin", new byte[] {1, (byte) 200});
    assertThat(JsJson.stringify(obj))
        .isEqualTo(
            "{\"2\":[null,null,true,null],\"10\":\"x\",\"b\":1,"
                + "\"s\":\"q\\\"\\\\\\n\\u0001\\ud800\uD83D\uDE00\",\"bin\":{\"0\":1,\"1\":200}}");
    assertThat(JsJson.stringify(Undefined.INSTANCE)).isNull();
    assertThatThrownBy(() -> JsJson.stringify(BigInteger.ONE))
        .isInstanceOf(JsJson.JsonException.class);
  }

  @Test
  void parseAndCanonicalize() {
    assertThat(JsJson.parse(" {\"a\" : [1, 2.50, -0, 1E2, \"\\u00e9\\/\"], \"a\": 3, \"b\":null} "))
        .isEqualTo(parsedExpected());
    assertThat(JsJson.canonicalize("[1.0, 1e400, \"x\"]")).isEqualTo("[1,null,\"x\"]");
    assertThat(JsJson.canonicalize("{\"x\":1}")).isEqualTo("{\"x\":1}");
    for (String bad : new String[] {"", "01", "[1,]", "{'a':1}", "\"\u0001\"", "1 2", "nul", "[", "\"\\x\"", "-", "1.", "1e"}) {
      assertThatThrownBy(() -> JsJson.parse(bad)).as(bad).isInstanceOf(JsJson.JsonException.class);
    }
    assertThatThrownBy(() -> JsJson.parse("[".repeat(100_000)))
        .isInstanceOf(JsJson.JsonException.class);
  }

  private static Map<String, Object> parsedExpected() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", 3.0);
    m.put("b", null);
    return m;
  }

  @Test
  void parsedListsKeepOrder() {
    assertThat(JsJson.parse("[3,\"a\",false]")).isEqualTo(List.of(3.0, "a", false));
  }
}
