package dev.tandem.crdt.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.lib0.Undefined;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesWhatJsonParseAccepts() {
    assertThat(Json.parse(" {\"a\":[1,-0.5e2,true,false,null,\"\\u00e9\\n\\/\"]}\r\n\t"))
        .isEqualTo(Map.of("a", Arrays.asList(1.0, -50.0, true, false, null, "é\n/")));
    assertThat(Json.parse("\"\\ud800\"")).isEqualTo("\ud800");
    Map<String, Object> dup = new LinkedHashMap<>();
    dup.put("a", 3.0);
    dup.put("b", 2.0);
    assertThat(Json.parse("{\"a\":1,\"b\":2,\"a\":3}")).isEqualTo(dup);
    assertThat(Json.parse("1e400")).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void rejectsWhatJsonParseRejects() {
    for (String bad :
        List.of("", " ", "01", "1.", ".5", "+1", "-", "1e", "[1,]", "{\"a\":1,}", "{a:1}", "'a'",
            "\"\u0001\"", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "nul", "truex", "[1 2]", "\"a",
            "NaN", "Infinity", "\u00a0 1", "[1]]", "{\"a\" 1}", "\"\\u\u0661234\"")) {
      assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(MalformedDataException.class);
      assertThatThrownBy(() -> Json.validateIsNull(bad))
          .as(bad)
          .isInstanceOf(MalformedDataException.class);
    }
  }

  @Test
  void limitsNesting() {
    String ok = "[".repeat(256) + "]".repeat(256);
    assertThat(Json.validateIsNull(ok)).isFalse();
    String deep = "[".repeat(257) + "]".repeat(257);
    assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(MalformedDataException.class);
    String hostile = "[".repeat(1_000_000);
    assertThatThrownBy(() -> Json.validateIsNull(hostile))
        .isInstanceOf(MalformedDataException.class);
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
    assertThatThrownBy(() -> Json.stringify(BigInteger.ONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.stringify(new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void numbersFollowNumberToString() {
    assertThat(JsNumber.toString(0.1)).isEqualTo("0.1");
    assertThat(JsNumber.toString(1e21)).isEqualTo("1e+21");
    assertThat(JsNumber.toString(1e20)).isEqualTo("100000000000000000000");
    assertThat(JsNumber.toString(Math.pow(2, 60))).isEqualTo("1152921504606847000");
    assertThat(JsNumber.toString(1e-6)).isEqualTo("0.000001");
    assertThat(JsNumber.toString(1.5e-7)).isEqualTo("1.5e-7");
    assertThat(JsNumber.toString(-2.5)).isEqualTo("-2.5");
    assertThat(JsNumber.toString(5e-324)).isEqualTo("5e-324");
    assertThat(JsNumber.toString(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
    assertThat(JsNumber.toString(2e-7)).isEqualTo("2e-7");
    assertThat(JsNumber.toString(123e-20)).isEqualTo("1.23e-18");
  }
}
