package dev.tandem.crdt.doc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.crdt.oracle.ByteAsserts;
import dev.tandem.crdt.oracle.OracleFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The automerge-paper trace against Yjs's own replay of it. */
class TraceDocTest {
  static final String NAME = "automerge-paper";

  static JsonNode readTrace(String name) throws IOException {
    Path f = OracleFixtures.tracesDir().resolve("sequential").resolve(name + ".json.gz");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
      return new ObjectMapper().readTree(in);
    }
  }

  /** Replays the trace as gen's trace.mjs does: one transaction per trace transaction. */
  static Doc replay(JsonNode trace, long clientId, List<byte[]> v1, List<byte[]> v2) {
    Doc doc = new Doc(clientId, true);
    if (v1 != null) {
      doc.onUpdate((u, o, t) -> v1.add(u));
    }
    if (v2 != null) {
      doc.onUpdateV2((u, o, t) -> v2.add(u));
    }
    YText text = doc.getText("text");
    String startContent = trace.path("startContent").asText("");
    if (!startContent.isEmpty()) {
      doc.transact(tr -> text.insert(0, startContent));
    }
    for (JsonNode txn : trace.get("txns")) {
      doc.transact(
          tr -> {
            for (JsonNode p : txn.get("patches")) {
              int pos = p.get(0).asInt();
              int del = p.get(1).asInt();
              String ins = p.get(2).asText();
              if (del > 0) {
                text.delete(pos, del);
              }
              if (!ins.isEmpty()) {
                text.insert(pos, ins);
              }
            }
          });
    }
    return doc;
  }

  @Test
  void applyingEveryUpdateGivesTheFinalState() {
    OracleFixtures.Trace t = OracleFixtures.trace(NAME);
    Doc d = new Doc(99, true);
    for (byte[] u : t.updatesV1()) {
      d.applyUpdate(u);
    }
    ByteAsserts.assertSameBytes("final v1", 0, t.finalV1(), d.encodeStateAsUpdate());
    ByteAsserts.assertSameBytes("final v2", 0, t.finalV2(), d.encodeStateAsUpdateV2());
    ByteAsserts.assertSameBytes("final sv", 0, t.finalStateVector(), d.encodeStateVector());
  }

  @Test
  void loadingTheFinalStateReencodesIdentically() {
    OracleFixtures.Trace t = OracleFixtures.trace(NAME);
    Doc d = new Doc(99, true);
    d.applyUpdate(t.finalV1());
    ByteAsserts.assertSameBytes("final v1", 0, t.finalV1(), d.encodeStateAsUpdate());
    ByteAsserts.assertSameBytes("final v2", 0, t.finalV2(), d.encodeStateAsUpdateV2());
    Doc d2 = new Doc(99, true);
    d2.applyUpdateV2(t.finalV2());
    ByteAsserts.assertSameBytes("final v1 from v2", 0, t.finalV1(), d2.encodeStateAsUpdate());
  }

  @Test
  void localReplayProducesYjsUpdates() throws IOException {
    OracleFixtures.Trace t = OracleFixtures.trace(NAME);
    long clientId = t.meta().get("clientId").asLong();
    JsonNode trace = readTrace(NAME);
    List<byte[]> v1 = new ArrayList<>();
    List<byte[]> v2 = new ArrayList<>();
    Doc d = replay(trace, clientId, v1, v2);
    assertThat(d.getText("text").toString()).isEqualTo(trace.get("endContent").asText());
    List<byte[]> expected = t.updatesV1();
    List<byte[]> expectedV2 = t.updatesV2();
    assertThat(v1).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      ByteAsserts.assertSameBytes("update " + i, i, expected.get(i), v1.get(i));
      ByteAsserts.assertSameBytes("update v2 " + i, i, expectedV2.get(i), v2.get(i));
    }
    ByteAsserts.assertSameBytes("final v1", 0, t.finalV1(), d.encodeStateAsUpdate());
    ByteAsserts.assertSameBytes("final v2", 0, t.finalV2(), d.encodeStateAsUpdateV2());
  }
}
