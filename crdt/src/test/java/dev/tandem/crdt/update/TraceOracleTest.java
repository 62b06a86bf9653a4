package dev.tandem.crdt.update;

import static dev.tandem.crdt.oracle.ByteAsserts.assertSameBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.oracle.OracleFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The automerge-paper editing trace (259,778 single-edit updates) against yjs 13.6.33, and the
 * merge of all of them, which Yjs's own algorithm needs minutes for.
 */
class TraceOracleTest {
  private static final OracleFixtures.Trace TRACE = OracleFixtures.trace("automerge-paper");

  @Test
  void fixturesMatch() {
    List<byte[]> v1 = TRACE.updatesV1();
    List<byte[]> v2 = TRACE.updatesV2();
    assertSameBytes("merge first 10000", 0, TRACE.mergeFirst10000V1(), Updates.mergeUpdates(v1.subList(0, 10000)));
    assertSameBytes("merge first 10000 v2", 0, TRACE.mergeFirst10000V2(), Updates.mergeUpdatesV2(v2.subList(0, 10000)));
    byte[] f1 = TRACE.finalV1();
    byte[] f2 = TRACE.finalV2();
    assertSameBytes("final v1 round trip", 0, f1, Updates.encodeUpdate(Updates.decodeUpdate(f1)));
    assertSameBytes("final v2 round trip", 0, f2, Updates.encodeUpdateV2(Updates.decodeUpdateV2(f2)));
    assertSameBytes("final v1->v2", 0, f2, Updates.convertUpdateFormatV1ToV2(f1));
    assertSameBytes("final v2->v1", 0, f1, Updates.convertUpdateFormatV2ToV1(f2));
    assertSameBytes("diff after 1000", 0, TRACE.diffAfter1000V1(), Updates.diffUpdate(f1, TRACE.svAfter1000()));
    assertSameBytes("diff after 1000 v2", 0, TRACE.diffAfter1000V2(), Updates.diffUpdateV2(f2, TRACE.svAfter1000()));
    assertSameBytes("state vector", 0, TRACE.finalStateVector(), Updates.encodeStateVectorFromUpdate(f1));
    assertSameBytes("state vector v2", 0, TRACE.finalStateVector(), Updates.encodeStateVectorFromUpdateV2(f2));
    for (int i = 0; i < v1.size(); i++) {
      assertSameBytes("update round trip #" + i, 0, v1.get(i), Updates.encodeUpdate(Updates.decodeUpdate(v1.get(i))));
      assertSameBytes("update v2 round trip #" + i, 0, v2.get(i), Updates.encodeUpdateV2(Updates.decodeUpdateV2(v2.get(i))));
    }
  }

  @Test
  void mergesTheWholeTraceInSeconds() {
    List<byte[]> v1 = TRACE.updatesV1();
    List<byte[]> v2 = TRACE.updatesV2();
    assertThat(v1).hasSize(259_778);
    long t0 = System.nanoTime();
    byte[] m1 = Updates.mergeUpdates(v1);
    byte[] m2 = Updates.mergeUpdatesV2(v2);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("[trace] merged 2 x " + v1.size() + " updates in " + ms + " ms");
    assertThat(ms).as("merge time (ms)").isLessThan(30_000);
    // both formats describe the same merged update, and it covers the whole document
    assertSameBytes("merged v1 vs v2", 0, m1, Updates.convertUpdateFormatV2ToV1(m2));
    assertSameBytes("merged state vector", 0, TRACE.finalStateVector(), Updates.encodeStateVectorFromUpdate(m1));
  }
}
