package dev.tandem.crdt.oracle;

import static dev.tandem.crdt.oracle.ByteAsserts.assertSameBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.crdt.lib0.Lib0Decoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * The contract between {@code gen.mjs} and the Java tests: every documented field is present and
 * well-formed, so a codec test that fails does so because of the codec, not the fixture.
 */
class OracleFixturesTest {

  static final List<String> SESSION_FIELDS =
      List.of(
          "seed", "gc", "updatesV1", "updatesV2", "mergedV1", "mergedV2", "svFromUpdateV1", "svFromUpdateV2",
          "diffs", "partialMerges", "convertedV1ToV2", "convertedV2ToV1", "stateVectors", "deleteSets",
          "finalStateV1", "finalStateV2", "finalStateVector", "finalJson");

  static List<OracleFixtures.Session> sessions() {
    return OracleFixtures.sessions();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sessions")
  void sessionFixtureIsComplete(OracleFixtures.Session s) {
    JsonNode j = s.json();
    for (String f : SESSION_FIELDS) {
      assertTrue(j.has(f), "seed " + s.seed() + ": missing field " + f);
    }
    assertEquals(s.seed(), j.get("seed").asLong(), "seed " + s.seed() + ": seed field");
    int n = s.bytesList("updatesV1").size();
    assertTrue(n > 0, "seed " + s.seed() + ": no updates");
    assertEquals(n, s.bytesList("updatesV2").size(), "seed " + s.seed() + ": updatesV2 count");
    assertEquals(n, s.bytesList("convertedV1ToV2").size(), "seed " + s.seed() + ": convertedV1ToV2 count");
    assertEquals(n, s.bytesList("convertedV2ToV1").size(), "seed " + s.seed() + ": convertedV2ToV1 count");
    // the empty state vector is always the first diff
    assertSameBytes("diffs[0].sv", s.seed(), new byte[] {0}, OracleFixtures.bytes(j.get("diffs").get(0), "sv"));
    // stateVectors: entries agree with the bytes (clients in descending order, as Yjs writes them)
    for (JsonNode sv : j.get("stateVectors")) {
      Lib0Decoder d = new Lib0Decoder(OracleFixtures.bytes(sv, "bytes"));
      int count = d.readVarUintAsInt();
      assertEquals(sv.get("entries").size(), count, "seed " + s.seed() + ": state vector size");
      long previous = Long.MAX_VALUE;
      for (int i = 0; i < count; i++) {
        long client = d.readVarUint();
        long clock = d.readVarUint();
        assertTrue(client < previous, "seed " + s.seed() + ": clients not descending");
        previous = client;
        assertEquals(clock, sv.get("entries").get(Long.toString(client)).asLong(), "seed " + s.seed() + ": clock of " + client);
      }
    }
    for (JsonNode m : j.get("partialMerges")) {
      for (JsonNode i : m.get("indices")) {
        assertTrue(i.asInt() >= 0 && i.asInt() < n, "seed " + s.seed() + ": merge index " + i);
      }
    }
    for (JsonNode ds : j.get("deleteSets")) {
      OracleFixtures.bytes(ds, "v1");
      OracleFixtures.bytes(ds, "v2");
    }
    assertThat(OracleFixtures.toJava(j.get("finalJson"))).isInstanceOf(Map.class);
  }

  @Test
  void traceFixtureIsConsistent() throws Exception {
    OracleFixtures.Trace t = OracleFixtures.trace("automerge-paper");
    JsonNode meta = t.meta();
    List<byte[]> v1 = t.updatesV1();
    List<byte[]> v2 = t.updatesV2();
    assertEquals(meta.get("updates").asInt(), v1.size());
    assertEquals(v1.size(), v2.size());
    assertEquals(259_778, meta.get("transactions").asInt());
    assertEquals(104_852, meta.get("endContentLength").asInt());
    assertThat(t.finalV1()).isNotEmpty();
    assertThat(t.finalV2()).isNotEmpty();
    assertThat(t.diffAfter1000V1()).isNotEmpty();
    assertThat(t.diffAfter1000V2()).isNotEmpty();
    assertThat(t.mergeFirst10000V1()).isNotEmpty();
    assertThat(t.mergeFirst10000V2()).isNotEmpty();
    // one client (1) in the final state vector
    Lib0Decoder sv = new Lib0Decoder(t.finalStateVector());
    assertEquals(1, sv.readVarUint());
    assertEquals(meta.get("clientId").asLong(), sv.readVarUint());
    Lib0Decoder svAfter = new Lib0Decoder(t.svAfter1000());
    assertEquals(1, svAfter.readVarUint());
    assertEquals(meta.get("clientId").asLong(), svAfter.readVarUint());
    // the raw trace's endContent hashes to what Yjs produced
    byte[] raw = java.nio.file.Files.readAllBytes(OracleFixtures.tracesDir().resolve("sequential/automerge-paper.json.gz"));
    JsonNode trace =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw)));
    String end = trace.get("endContent").asText();
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(end.getBytes(StandardCharsets.UTF_8)));
    assertEquals(meta.get("finalTextSha256").asText(), sha);
  }

  @Test
  void lib0FixtureIsThere() {
    assertThat(OracleFixtures.lib0().get("entries").size()).isGreaterThan(100);
  }

  @Test
  void assertSameBytesReportsSeedOffsetLengthsAndWindow() {
    byte[] expected = {1, 2, 3, 4, 5};
    byte[] actual = {1, 2, 9, 4};
    assertSameBytes("same", 7, expected, expected.clone());
    assertThatThrownBy(() -> assertSameBytes("mergedV1", 42, expected, actual))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("mergedV1")
        .hasMessageContaining("seed 42")
        .hasMessageContaining("offset 2")
        .hasMessageContaining("expected length 5")
        .hasMessageContaining("actual length 4")
        .hasMessageContaining("01 02 [03] 04 05")
        .hasMessageContaining("01 02 [09] 04");
    // a strict prefix differs at the end of the shorter array
    assertThatThrownBy(() -> assertSameBytes("prefix", 1, expected, new byte[] {1, 2, 3}))
        .hasMessageContaining("offset 3")
        .hasMessageContaining("01 02 03 [end]");
  }

  @Test
  void toJavaDecodesTaggedValues() throws Exception {
    JsonNode n =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                "{\"b\":[1,{\"$oracle\":\"number\",\"v\":\"-0\"},{\"$oracle\":\"undefined\"}],"
                    + "\"a\":{\"$oracle\":\"bigint\",\"v\":\"-9223372036854775808\"},"
                    + "\"c\":{\"$oracle\":\"bytes\",\"v\":\"AAH/\"}}");
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) OracleFixtures.toJava(n);
    assertThat(m.keySet()).containsExactly("b", "a", "c");
    @SuppressWarnings("unchecked")
    List<Object> b = (List<Object>) m.get("b");
    assertThat(b).containsExactly(1.0, -0.0, dev.tandem.crdt.lib0.Undefined.INSTANCE);
    assertThat(Double.doubleToRawLongBits((Double) b.get(1))).isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(m.get("a")).isEqualTo(java.math.BigInteger.valueOf(Long.MIN_VALUE));
    assertThat((byte[]) m.get("c")).containsExactly(0, 1, -1);
  }
}
