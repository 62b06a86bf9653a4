package dev.tandem.crdt.doc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.oracle.ByteAsserts;
import dev.tandem.crdt.oracle.OracleFixtures;
import dev.tandem.crdt.traces.EditingTrace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The automerge-paper trace against Yjs's own replay of it. */
class TraceDocTest {
  static final String NAME = "automerge-paper";

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
  void localReplayProducesYjsUpdates() {
    OracleFixtures.Trace t = OracleFixtures.trace(NAME);
    long clientId = t.meta().get("clientId").asLong();
    EditingTrace trace = EditingTrace.loadSequential(NAME);
    List<byte[]> v1 = new ArrayList<>();
    List<byte[]> v2 = new ArrayList<>();
    Doc d = new Doc(clientId, true);
    d.onUpdate((u, o, tr) -> v1.add(u));
    d.onUpdateV2((u, o, tr) -> v2.add(u));
    trace.typeInto(d, d.getText("text"));
    assertThat(d.getText("text").toString()).isEqualTo(trace.endContent());
    List<byte[]> expected = t.updatesV1();
    List<byte[]> expectedV2 = t.updatesV2();
    assertThat(v1).hasSameSizeAs(expected);
    assertThat(v2).hasSameSizeAs(expectedV2);
    for (int i = 0; i < expected.size(); i++) {
      ByteAsserts.assertSameBytes("update " + i, i, expected.get(i), v1.get(i));
      ByteAsserts.assertSameBytes("update v2 " + i, i, expectedV2.get(i), v2.get(i));
    }
    ByteAsserts.assertSameBytes("final v1", 0, t.finalV1(), d.encodeStateAsUpdate());
    ByteAsserts.assertSameBytes("final v2", 0, t.finalV2(), d.encodeStateAsUpdateV2());
  }
}
