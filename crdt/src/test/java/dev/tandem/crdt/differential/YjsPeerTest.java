package dev.tandem.crdt.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves the Yjs peer and the fuzzing kit: Yjs documents in the peer, edited by {@link
 * RandomOps} and synced through chaotic {@link DeliverySchedule}s, converge.
 */
class YjsPeerTest {
  private static final Map<String, RootType> ROOTS = RandomOps.DEFAULT_ROOTS;

  /** Seeds 1..N; N is the system property {@code tandem.peer.seeds} (default 50). */
  static LongStream seeds() {
    return LongStream.rangeClosed(1, Long.getLong("tandem.peer.seeds", 50));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomEditsConverge(long seed) {
    run(seed);
  }

  /** A seed fixes the whole run: nothing leaks from earlier cases through the shared peer. */
  @Test
  void sameSeedSameRun() {
    Run first = run(7);
    Run again = run(7);
    assertThat(again.log()).isEqualTo(first.log());
    assertThat(hex(again.state())).isEqualTo(hex(first.state()));
  }

  /** What a seeded run did: its op/delivery log and the converged state of its first doc. */
  private record Run(List<String> log, byte[] state) {}

  private Run run(long seed) {
    YjsPeer peer = YjsPeer.shared();
    RandomOps gen = new RandomOps(seed);
    Random rnd = gen.random();
    boolean gc = rnd.nextBoolean();
    int docCount = 2 + rnd.nextInt(2);
    List<YjsDocDriver> docs = new ArrayList<>();
    List<String> log = new ArrayList<>();
    try {
      for (int i = 0; i < docCount; i++) {
        docs.add(new YjsDocDriver(peer, 100 + i + seed * 10, gc, ROOTS));
      }
      ChaoticExchange.run(gen, docs, log);
      assertConverged(seed, docs, log);
      return new Run(log.stream().map(YjsPeerTest::withoutDocNumbers).toList(), docs.get(0).encodeState(null));
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "seed " + seed + " failed: " + e.getMessage() + "\nops:\n" + String.join("\n", ChaoticExchange.tail(log)), e);
    } finally {
      docs.forEach(YjsDocDriver::close);
    }
  }

  /** Log lines name docs "yjs:c<clientId>#<n>"; n counts the docs made so far in the shared peer. */
  private static String withoutDocNumbers(String line) {
    return line.replaceAll("\\b(c\\d+)#\\d+", "$1");
  }

  private static void assertConverged(long seed, List<YjsDocDriver> docs, List<String> log) {
    YjsDocDriver first = docs.get(0);
    ReplicaView view = ReplicaView.of(first);
    String json = view.json();
    byte[] sv = first.stateVector();
    byte[] state = view.state();
    for (YjsDocDriver other : docs.subList(1, docs.size())) {
      String what = "seed " + seed + ": " + other + " vs " + first;
      view.assertSameAs(other, what, first.peer());
      // syncing by state vector has nothing left to send
      assertThat(Arrays.equals(other.encodeState(sv), first.encodeState(other.stateVector())))
          .as(what + " diff updates").isTrue();
    }
    // the encoded state (v1 and v2) rebuilds the same document
    YjsPeer peer = first.peer();
    for (int v = 1; v <= 2; v++) {
      try (YjsDocDriver fresh = new YjsDocDriver(peer, 1, true, ROOTS)) {
        if (v == 1) {
          fresh.applyUpdate(state);
        } else {
          fresh.applyUpdateV2(first.encodeStateV2(null));
        }
        assertThat(Values.canonical(fresh.toJson())).as("seed " + seed + " rebuilt v" + v).isEqualTo(json);
      }
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  // ------------------------------------------------------------------ protocol details

  @Test
  void valuesRoundTripLosslessly() {
    YjsPeer peer = YjsPeer.shared();
    try (YjsDocDriver doc = new YjsDocDriver(peer, 7, true, ROOTS)) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("bin", new byte[] {0, 1, (byte) 255});
      value.put("big", new java.math.BigInteger("-9223372036854775808"));
      value.put("undef", dev.tandem.crdt.lib0.Undefined.INSTANCE);
      value.put("nan", Double.NaN);
      value.put("negZero", -0.0);
      value.put("inf", Double.NEGATIVE_INFINITY);
      value.put("$t", "not a tag");
      value.put("list", List.of("😀", 1.5, false));
      doc.apply(new Op.MapSet(Target.root("map", RootType.MAP), "v", value));
      doc.apply(new Op.MapSet(Target.root("map", RootType.MAP), "sub", new Op.SubDoc("guid-1", null)));
      Map<String, Object> json = doc.toJson();
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) json.get("map");
      assertThat(Values.canonical(map.get("v"))).isEqualTo(Values.canonical(value));
      assertThat(map.get("sub")).isEqualTo(new Values.SubDocRef("guid-1"));
      assertThat(json.get("text")).isEqualTo("");
      // a new Y.Map whose init has a "$t" key (sent escaped as {"$t":"obj","v":..})
      Map<String, Object> init = new LinkedHashMap<>();
      init.put("$t", 2.0);
      init.put("v", List.of(4.0, "b", Map.of("$t", "x")));
      doc.apply(new Op.MapSet(Target.root("map", RootType.MAP), "nested", Op.NewType.map(init)));
      @SuppressWarnings("unchecked")
      Map<String, Object> after = (Map<String, Object>) doc.toJson().get("map");
      assertThat(Values.canonical(after.get("nested"))).isEqualTo(Values.canonical(init));
    }
  }

  @Test
  void nestedTargetsAndDeltas() {
    YjsPeer peer = YjsPeer.shared();
    try (YjsDocDriver doc = new YjsDocDriver(peer, 8, true, ROOTS)) {
      Target arr = Target.root("array", RootType.ARRAY);
      doc.apply(new Op.ArrayInsert(arr, 0, List.of(1.0, Op.NewType.map(Map.of("t", Op.NewType.text("hi"))))));
      Target text = arr.then(1).then("t");
      Map<String, Object> bold = new LinkedHashMap<>();
      bold.put("bold", true);
      Emitted e = doc.apply(new Op.TextFormat(text, 0, 1, bold));
      assertThat(e.v1()).hasSize(1);
      assertThat(doc.textDelta(text))
          .isEqualTo(List.of(Map.of("insert", "h", "attributes", Map.of("bold", true)), Map.of("insert", "i")));
      Target xml = Target.root("xml", RootType.XML_FRAGMENT);
      doc.apply(new Op.XmlInsertElement(xml, 0, "p", Map.of("class", "x")));
      doc.apply(new Op.XmlInsertText(xml.then(0), 0, "a<b"));
      assertThat(doc.xmlString(xml)).isEqualTo("<p class=\"x\">a<b</p>");
      // an op that changes nothing emits nothing
      assertThat(doc.apply(new Op.TextDelete(text, 0, 0)).isEmpty()).isTrue();
    }
  }

  @Test
  void errorsAreResponsesAndThePeerSurvives() {
    YjsPeer peer = YjsPeer.shared();
    try (YjsDocDriver doc = new YjsDocDriver(peer, 9, true, ROOTS)) {
      assertThatThrownBy(() -> doc.apply(new Op.TextDelete(Target.root("text", RootType.TEXT), 0, 5)))
          .isInstanceOf(YjsPeer.PeerException.class)
          .hasMessageContaining("length 0");
      assertThatThrownBy(() -> doc.apply(new Op.TextInsert(Target.root("array", RootType.TEXT), 0, "x", null)))
          .hasMessageContaining("array");
      assertThatThrownBy(() -> peer.call("nope", Map.of())).hasMessageContaining("unknown command");
      assertThatThrownBy(() -> doc.applyUpdate(new byte[] {1, 2, 3})).isInstanceOf(YjsPeer.PeerException.class);
      assertThat(peer.call("ping", Map.of())).containsEntry("yjs", "13.6.33");
    }
  }

  @Test
  void deliveryScheduleEventuallyDeliversEverything() {
    Random rnd = new Random(1);
    DeliverySchedule<Integer> s = DeliverySchedule.chaotic(rnd);
    List<Integer> got = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      s.send(i);
      if (i % 10 == 0) {
        got.addAll(s.deliverSome());
      }
    }
    got.addAll(s.deliverAll());
    assertThat(s.pending()).isZero();
    assertThat(got.stream().distinct().sorted().toList()).hasSize(100);
    assertThat(got.size()).isGreaterThan(100); // some duplicates
    assertThat(got).isNotEqualTo(got.stream().sorted().toList()); // some reordering
  }
}
