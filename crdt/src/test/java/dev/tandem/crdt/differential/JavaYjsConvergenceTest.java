package dev.tandem.crdt.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two-way differential fuzzing: Java documents and Yjs documents (in the Node peer) edit
 * concurrently with {@link RandomOps}, exchange their updates through chaotic {@link
 * DeliverySchedule}s (reordered, duplicated, late, v1 or v2), and must converge: same state
 * vector, toJSON, text delta, XML string and encoded state. Every Java local update is also
 * checked against what Yjs emits for the same op on an identical replica. Failures print the seed.
 */
class JavaYjsConvergenceTest {
  /** Deterministic root order (RandomOps.DEFAULT_ROOTS is a Map.of, whose order varies per JVM). */
  private static final Map<String, RootType> ROOTS = new java.util.TreeMap<>(RandomOps.DEFAULT_ROOTS);

  static LongStream seeds() {
    String only = System.getProperty("tandem.differential.only");
    if (only != null && !only.isBlank()) {
      return java.util.Arrays.stream(only.split(",")).mapToLong(Long::parseLong);
    }
    return LongStream.rangeClosed(1, Long.getLong("tandem.differential.seeds", 300));
  }

  /**
   * Java replicas and real Yjs replicas edit, exchange updates in a chaotic order and must end
   * identical. The op generator only emits operations on which real Yjs replicas converge among
   * themselves (see OPS.md for the Yjs 13.6.33 surrogate-pair limits), so any failure here is a
   * failure: on a failing seed the message also says whether Yjs-only replicas fail the same way,
   * which tells a generator problem from a Java one.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void javaAndYjsConverge(long seed) {
    try {
      run(seed, false);
    } catch (AssertionError e) {
      String yjsOnly;
      try {
        run(seed, true);
        yjsOnly = "Yjs-only replicas converge on this seed, so the Java document model diverges";
      } catch (AssertionError yjsToo) {
        yjsOnly = "Yjs-only replicas fail as well (a generator problem): " + firstLine(yjsToo.getMessage());
      }
      throw new AssertionError("seed " + seed + ": " + yjsOnly + "\n" + e.getMessage(), e);
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  private void run(long seed, boolean yjsOnly) {
    YjsPeer peer = YjsPeer.shared();
    RandomOps gen = new RandomOps(seed);
    Random rnd = gen.random();
    boolean gc = rnd.nextBoolean();
    int docCount = 2 + rnd.nextInt(2);
    List<DocDriver> docs = new ArrayList<>();
    List<String> log = new ArrayList<>();
    try {
      for (int i = 0; i < docCount; i++) {
        long clientId = 100 + i + seed * 10;
        boolean java = i == 0 || (i == 2 ? rnd.nextBoolean() : false);
        java &= !yjsOnly && !Boolean.getBoolean("tandem.differential.yjsOnly");
        docs.add(java ? new JavaDocDriver(clientId, gc, ROOTS) : new YjsDocDriver(peer, clientId, gc, ROOTS));
      }
      ChaoticExchange.run(gen, docs, log);
      assertConverged(peer, seed, docs);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "seed " + seed + " failed: " + e.getMessage() + "\nops:\n" + String.join("\n", ChaoticExchange.tail(log)), e);
    } finally {
      docs.forEach(DocDriver::close);
    }
  }

  private static void assertConverged(YjsPeer peer, long seed, List<DocDriver> docs) {
    DocDriver first = docs.get(0);
    ReplicaView view = ReplicaView.of(first);
    String json = view.json();
    for (DocDriver other : docs.subList(1, docs.size())) {
      view.assertSameAs(other, "seed " + seed + ": " + other + " vs " + first, peer);
    }
    // the Java encoding loads in Yjs to the same document, and the other way round
    for (DocDriver d : docs) {
      byte[] s1 = d.encodeState(null);
      byte[] s2 = d.encodeStateV2(null);
      try (YjsDocDriver y = new YjsDocDriver(peer, 1, true, ROOTS);
          JavaDocDriver j = new JavaDocDriver(1, true, ROOTS);
          JavaDocDriver j2 = new JavaDocDriver(1, true, ROOTS)) {
        y.applyUpdate(s1);
        j.applyUpdate(s1);
        j2.applyUpdateV2(s2);
        assertThat(Values.canonical(Values.replaceLoneSurrogates(j2.toJson()))).as("seed " + seed + " java rebuilt v2 from " + d).isEqualTo(json);
        assertThat(Values.canonical(Values.replaceLoneSurrogates(y.toJson()))).as("seed " + seed + " yjs rebuilt from " + d).isEqualTo(json);
        assertThat(Values.canonical(Values.replaceLoneSurrogates(j.toJson()))).as("seed " + seed + " java rebuilt from " + d).isEqualTo(json);
        assertThat(j.encodeState(null)).as("seed " + seed + " java reload vs yjs reload of " + d).isEqualTo(y.encodeState(null));
      }
    }
  }
}
