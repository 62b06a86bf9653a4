package dev.tandem.crdt.doc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.crdt.oracle.ByteAsserts;
import dev.tandem.crdt.oracle.OracleFixtures;
import dev.tandem.crdt.oracle.OracleFixtures.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every oracle session replayed into a Java Doc must end byte-identical to real Yjs replaying the
 * same updates the same way ({@code crdt/oracle/generators/docmodel.mjs}), and with the JSON the
 * session's peers converged to.
 */
class DocOracleTest {
  static Stream<Session> sessions() {
    return OracleFixtures.sessionStream();
  }

  static JsonNode reference(Session s) {
    try {
      return new ObjectMapper().readTree(OracleFixtures.dir().resolve("docmodel").resolve(s.seed() + ".json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> rootsJson(Doc d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", d.getText("text").toJSON());
    m.put("array", d.getArray("array").toJSON());
    m.put("map", d.getMap("map").toJSON());
    m.put("xml", d.getXmlFragment("xml").toJSON());
    return m;
  }

  static void assertState(Session s, Doc d, JsonNode ref, String how) {
    assertThat(d.hasPending()).as("seed %d %s: pending", s.seed(), how).isFalse();
    ByteAsserts.assertSameBytes(how + " sv", s.seed(), OracleFixtures.bytes(ref, "sv"), d.encodeStateVector());
    ByteAsserts.assertSameBytes(how + " v1", s.seed(), OracleFixtures.bytes(ref, "v1"), d.encodeStateAsUpdate());
    ByteAsserts.assertSameBytes(how + " v2", s.seed(), OracleFixtures.bytes(ref, "v2"), d.encodeStateAsUpdateV2());
    ByteAsserts.assertSameBytes(how + " final sv", s.seed(), s.bytes("finalStateVector"), d.encodeStateVector());
    Object expected = JsonNormalizer.wellFormed(OracleFixtures.toJava(s.json().get("finalJson")));
    assertThat(JsonNormalizer.wellFormed(rootsJson(d))).as("seed %d %s: json", s.seed(), how).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sessions")
  void inOrderV1(Session s) {
    Doc d = new Doc(s.gc());
    for (byte[] u : s.bytesList("updatesV1")) {
      d.applyUpdate(u);
    }
    assertState(s, d, reference(s).get("inOrderV1"), "v1 in order");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sessions")
  void inOrderV2(Session s) {
    Doc d = new Doc(s.gc());
    for (byte[] u : s.bytesList("updatesV2")) {
      d.applyUpdateV2(u);
    }
    assertState(s, d, reference(s).get("inOrderV2"), "v2 in order");
  }

  /** Out of order: exercises pending structs and pending delete sets. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sessions")
  void shuffledV1(Session s) {
    JsonNode ref = reference(s);
    List<byte[]> updates = s.bytesList("updatesV1");
    Doc d = new Doc(s.gc());
    for (JsonNode i : ref.get("shuffle")) {
      d.applyUpdate(updates.get(i.asInt()));
    }
    assertState(s, d, ref.get("shuffledV1"), "v1 shuffled");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sessions")
  void loadFinalState(Session s) {
    JsonNode ref = reference(s);
    Doc d = new Doc(s.gc());
    d.applyUpdate(s.bytes("finalStateV1"));
    assertState(s, d, ref.get("reloadV1"), "final v1 loaded");
    Object json = JsonNormalizer.norm(OracleFixtures.toJava(s.json().get("finalJson")));
    assertThat(JsonNormalizer.norm(rootsJson(d))).as("seed %d exact json", s.seed()).isEqualTo(json);
    Object delta = JsonNormalizer.norm(OracleFixtures.toJava(s.json().get("finalTextDelta")));
    assertThat(JsonNormalizer.norm(d.getText("text").toDelta())).as("seed %d delta", s.seed()).isEqualTo(delta);
    Doc d2 = new Doc(s.gc());
    d2.applyUpdateV2(s.bytes("finalStateV2"));
    assertState(s, d2, ref.get("reloadV2"), "final v2 loaded");
  }
}
