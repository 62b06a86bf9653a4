package dev.tandem.crdt.doc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.crdt.oracle.ByteAsserts;
import dev.tandem.crdt.oracle.OracleFixtures;
import dev.tandem.crdt.oracle.OracleFixtures.Session;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every oracle session replayed into a Java Doc must end byte-identical to Yjs. */
class DocOracleTest {
  static Stream<Session> sessions() {
    return OracleFixtures.sessionStream();
  }

  static Map<String, Object> rootsJson(Doc d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", d.getText("text").toJSON());
    m.put("array", d.getArray("array").toJSON());
    m.put("map", d.getMap("map").toJSON());
    m.put("xml", d.getXmlFragment("xml").toJSON());
    return m;
  }

  static void assertFinal(Session s, Doc d, String how) {
    assertThat(d.hasPending()).as("seed %d %s: pending", s.seed(), how).isFalse();
    ByteAsserts.assertSameBytes("seed " + s.seed() + " " + how + " sv", s.seed(), s.bytes("finalStateVector"), d.encodeStateVector());
    ByteAsserts.assertSameBytes("seed " + s.seed() + " " + how + " v1", s.seed(), s.bytes("finalStateV1"), d.encodeStateAsUpdate());
    ByteAsserts.assertSameBytes("seed " + s.seed() + " " + how + " v2", s.seed(), s.bytes("finalStateV2"), d.encodeStateAsUpdateV2());
    Object expected = JsonNormalizer.norm(OracleFixtures.toJava(s.json().get("finalJson")));
    assertThat(JsonNormalizer.norm(rootsJson(d))).as("seed %d %s: json", s.seed(), how).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sessions")
  void inOrderV1(Session s) {
    Doc d = new Doc(s.gc());
    for (byte[] u : s.bytesList("updatesV1")) {
      d.applyUpdate(u);
    }
    assertFinal(s, d, "v1 in order");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sessions")
  void inOrderV2(Session s) {
    Doc d = new Doc(s.gc());
    for (byte[] u : s.bytesList("updatesV2")) {
      d.applyUpdateV2(u);
    }
    assertFinal(s, d, "v2 in order");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sessions")
  void shuffled(Session s) {
    List<byte[]> updates = new ArrayList<>(s.bytesList("updatesV1"));
    Collections.shuffle(updates, new Random(s.seed()));
    Doc d = new Doc(s.gc());
    for (byte[] u : updates) {
      d.applyUpdate(u);
    }
    assertFinal(s, d, "v1 shuffled");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sessions")
  void loadFinalState(Session s) {
    Doc d = new Doc(s.gc());
    d.applyUpdate(s.bytes("finalStateV1"));
    assertFinal(s, d, "final v1 loaded");
    Doc d2 = new Doc(s.gc());
    d2.applyUpdateV2(s.bytes("finalStateV2"));
    assertFinal(s, d2, "final v2 loaded");
    JsonNode delta = s.json().get("finalTextDelta");
    Object expected = JsonNormalizer.norm(OracleFixtures.toJava(delta));
    assertThat(JsonNormalizer.norm(d.getText("text").toDelta())).as("seed %d delta", s.seed()).isEqualTo(expected);
  }
}
