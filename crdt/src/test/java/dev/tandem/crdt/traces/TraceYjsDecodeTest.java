package dev.tandem.crdt.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.differential.JavaDocDriver;
import dev.tandem.crdt.differential.RootType;
import dev.tandem.crdt.differential.Target;
import dev.tandem.crdt.differential.YjsDocDriver;
import dev.tandem.crdt.differential.YjsPeer;
import dev.tandem.crdt.doc.Doc;
import dev.tandem.crdt.doc.YText;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 3's trace proofs for the Java document model: every sequential trace typed into a Java
 * {@link YText} (one transaction per trace txn) and both concurrent traces replayed with one
 * Java document per agent ({@link ConcurrentReplay}) end at {@code endContent}; and the encoded
 * document ({@code encodeStateAsUpdate}) loaded into a fresh real Yjs 13.6.33 document gives the
 * same text ({@code toJSON} and {@code toDelta}) and re-encodes to the same bytes.
 */
class TraceYjsDecodeTest {
  private static final Map<String, RootType> ROOTS = Map.of("text", RootType.TEXT);
  private static final Target TEXT = Target.root("text", RootType.TEXT);

  static List<String> sequential() {
    List<String> names = EditingTrace.sequentialNames();
    assertThat(names).as("sequential traces in " + TraceFiles.dir()).contains("automerge-paper");
    return names;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sequential")
  void sequentialTraceThroughJavaYTextDecodesInYjs(String name) {
    EditingTrace trace = EditingTrace.loadSequential(name);
    long t0 = System.nanoTime();
    Doc doc = new Doc(1, true);
    YText text = doc.getText("text");
    trace.typeInto(doc, text);
    long replayMs = (System.nanoTime() - t0) / 1_000_000;
    String end = text.toString();
    assertThat(end.length()).as(name + " length").isEqualTo(trace.endContent().length());
    assertThat(end.equals(trace.endContent())).as(name + " end content").isTrue();
    byte[] state = doc.encodeStateAsUpdate();
    System.out.printf("%s: %d txns, %d patches replayed in %d ms, state %d bytes%n",
        name, trace.txns().size(), trace.patchCount(), replayMs, state.length);
    assertDecodesInYjs(name, state, trace.endContent());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"friendsforever", "clownschool"})
  void concurrentTraceWithJavaDocsDecodesInYjs(String name) {
    ConcurrentTrace trace = ConcurrentTrace.load(name);
    List<JavaDocDriver> agents = new ArrayList<>();
    ConcurrentReplay.Result r =
        ConcurrentReplay.replay(
            trace,
            agent -> {
              JavaDocDriver d = new JavaDocDriver(agent + 1, true, ROOTS);
              agents.add(d);
              return d;
            },
            "text");
    System.out.printf("%s: %d txns, %d agents, %d merged updates, %d ms%n",
        name, trace.txns().size(), trace.numAgents(), r.updatesApplied(), r.millis());
    assertThat(r.agentTexts()).hasSize(trace.numAgents());
    for (String text : r.agentTexts()) {
      assertThat(text.length()).isEqualTo(trace.endContent().length());
      assertThat(text.equals(trace.endContent())).as(name + " final text").isTrue();
    }
    byte[] first = agents.get(0).encodeState(null);
    for (JavaDocDriver a : agents) {
      // every replica holds the same document: same state vector, same encoding
      assertThat(HexFormat.of().formatHex(a.stateVector()))
          .isEqualTo(HexFormat.of().formatHex(agents.get(0).stateVector()));
      assertThat(a.encodeState(null)).as(name + " " + a + " encoded state").isEqualTo(first);
    }
    assertDecodesInYjs(name, first, trace.endContent());
  }

  /** Loads the state into a fresh Yjs doc: same text (toJSON, delta) and the same re-encoding. */
  private static void assertDecodesInYjs(String name, byte[] state, String expected) {
    try (YjsDocDriver y = new YjsDocDriver(YjsPeer.shared(), 7, true, ROOTS)) {
      y.applyUpdate(state);
      Object json = y.toJson().get("text");
      assertThat(json).isInstanceOf(String.class);
      assertThat(((String) json).equals(expected)).as(name + ": Yjs toJSON of the Java state").isTrue();
      List<Map<String, Object>> delta = y.textDelta(TEXT);
      StringBuilder sb = new StringBuilder();
      for (Map<String, Object> op : delta) {
        assertThat(op).doesNotContainKey("attributes");
        sb.append((String) op.get("insert"));
      }
      assertThat(sb.toString().equals(expected)).as(name + ": Yjs delta of the Java state").isTrue();
      assertThat(y.encodeState(null)).as(name + ": Yjs re-encodes the Java state identically").isEqualTo(state);
    }
  }
}
