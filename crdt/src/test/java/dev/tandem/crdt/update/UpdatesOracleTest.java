package dev.tandem.crdt.update;

import static dev.tandem.crdt.oracle.ByteAsserts.assertSameBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.crdt.oracle.OracleFixtures;
import dev.tandem.crdt.oracle.OracleFixtures.Session;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every update operation against yjs 13.6.33 on every oracle session, byte for byte. */
class UpdatesOracleTest {
  static java.util.stream.Stream<Session> sessions() {
    return OracleFixtures.sessionStream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sessions")
  void roundTripsAndConvertsEveryUpdate(Session s) {
    List<byte[]> v1 = s.bytesList("updatesV1");
    List<byte[]> v2 = s.bytesList("updatesV2");
    List<byte[]> toV2 = s.bytesList("convertedV1ToV2");
    List<byte[]> toV1 = s.bytesList("convertedV2ToV1");
    assertThat(v1).hasSameSizeAs(v2);
    for (int i = 0; i < v1.size(); i++) {
      String n = " #" + i;
      assertSameBytes("v1 round trip" + n, s.seed(), v1.get(i), Updates.encodeUpdate(Updates.decodeUpdate(v1.get(i))));
      assertSameBytes("v2 round trip" + n, s.seed(), v2.get(i), Updates.encodeUpdateV2(Updates.decodeUpdateV2(v2.get(i))));
      assertSameBytes("convertV1ToV2" + n, s.seed(), toV2.get(i), Updates.convertUpdateFormatV1ToV2(v1.get(i)));
      assertSameBytes("convertV2ToV1" + n, s.seed(), toV1.get(i), Updates.convertUpdateFormatV2ToV1(v2.get(i)));
    }
    for (String f : new String[] {"mergedV1", "finalStateV1"}) {
      byte[] u = s.bytes(f);
      assertSameBytes(f + " round trip", s.seed(), u, Updates.encodeUpdate(Updates.decodeUpdate(u)));
    }
    for (String f : new String[] {"mergedV2", "finalStateV2"}) {
      byte[] u = s.bytes(f);
      assertSameBytes(f + " round trip", s.seed(), u, Updates.encodeUpdateV2(Updates.decodeUpdateV2(u)));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sessions")
  void mergesDiffsAndStateVectors(Session s) {
    List<byte[]> v1 = s.bytesList("updatesV1");
    List<byte[]> v2 = s.bytesList("updatesV2");
    byte[] merged1 = s.bytes("mergedV1");
    byte[] merged2 = s.bytes("mergedV2");
    assertSameBytes("mergeUpdates", s.seed(), merged1, Updates.mergeUpdates(v1));
    assertSameBytes("mergeUpdatesV2", s.seed(), merged2, Updates.mergeUpdatesV2(v2));
    assertSameBytes("svFromUpdate", s.seed(), s.bytes("svFromUpdateV1"), Updates.encodeStateVectorFromUpdate(merged1));
    assertSameBytes("svFromUpdateV2", s.seed(), s.bytes("svFromUpdateV2"), Updates.encodeStateVectorFromUpdateV2(merged2));
    int k = 0;
    for (JsonNode d : s.json().path("diffs")) {
      byte[] sv = OracleFixtures.bytes(d, "sv");
      assertSameBytes("diffUpdate #" + k, s.seed(), OracleFixtures.bytes(d, "v1"), Updates.diffUpdate(merged1, sv));
      assertSameBytes("diffUpdateV2 #" + k, s.seed(), OracleFixtures.bytes(d, "v2"), Updates.diffUpdateV2(merged2, sv));
      k++;
    }
    assertThat(k).isPositive();
    k = 0;
    for (JsonNode m : s.json().path("partialMerges")) {
      List<byte[]> p1 = new ArrayList<>();
      List<byte[]> p2 = new ArrayList<>();
      for (JsonNode i : m.path("indices")) {
        p1.add(v1.get(i.asInt()));
        p2.add(v2.get(i.asInt()));
      }
      assertSameBytes("partial merge #" + k, s.seed(), OracleFixtures.bytes(m, "v1"), Updates.mergeUpdates(p1));
      assertSameBytes("partial mergeV2 #" + k, s.seed(), OracleFixtures.bytes(m, "v2"), Updates.mergeUpdatesV2(p2));
      k++;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sessions")
  void stateVectorsAndDeleteSets(Session s) {
    for (JsonNode sv : s.json().path("stateVectors")) {
      byte[] bytes = OracleFixtures.bytes(sv, "bytes");
      Map<Long, Long> decoded = Updates.decodeStateVector(bytes);
      Map<Long, Long> expected = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = sv.path("entries").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        expected.put(Long.parseLong(e.getKey()), e.getValue().asLong());
      }
      assertThat(new TreeMap<>(decoded)).isEqualTo(expected);
      assertSameBytes("state vector", s.seed(), bytes, Updates.encodeStateVector(decoded));
    }
    assertSameBytes("final state vector", s.seed(), s.bytes("finalStateVector"),
        Updates.encodeStateVector(Updates.decodeStateVector(s.bytes("finalStateVector"))));
    int k = 0;
    for (JsonNode d : s.json().path("deleteSets")) {
      byte[] v1 = OracleFixtures.bytes(d, "v1");
      byte[] v2 = OracleFixtures.bytes(d, "v2");
      DeleteSet ds1 = Updates.decodeDeleteSet(v1);
      DeleteSet ds2 = Updates.decodeDeleteSetV2(v2);
      Map<Long, List<List<Long>>> expected = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = d.path("entries").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        List<List<Long>> ranges = new ArrayList<>();
        for (JsonNode r : e.getValue()) {
          ranges.add(List.of(r.get(0).asLong(), r.get(1).asLong()));
        }
        expected.put(Long.parseLong(e.getKey()), ranges);
      }
      assertThat(entries(ds1)).as("ds v1 #%d seed %d", k, s.seed()).isEqualTo(expected);
      assertThat(entries(ds2)).as("ds v2 #%d seed %d", k, s.seed()).isEqualTo(expected);
      assertSameBytes("ds v1 #" + k, s.seed(), v1, Updates.encodeDeleteSet(ds1));
      assertSameBytes("ds v2 #" + k, s.seed(), v2, Updates.encodeDeleteSetV2(ds1));
      assertSameBytes("ds v2->v1 #" + k, s.seed(), v1, Updates.encodeDeleteSet(ds2));
      k++;
    }
    assertThat(k).isPositive();
  }

  static Map<Long, List<List<Long>>> entries(DeleteSet ds) {
    Map<Long, List<List<Long>>> out = new TreeMap<>();
    for (long c : ds.clients()) {
      DeleteSet.Ranges r = ds.ranges(c);
      List<List<Long>> l = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        l.add(List.of(r.clock(i), r.len(i)));
      }
      out.put(c, l);
    }
    return out;
  }
}
