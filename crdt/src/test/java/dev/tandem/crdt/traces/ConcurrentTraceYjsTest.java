package dev.tandem.crdt.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.differential.RootType;
import dev.tandem.crdt.differential.YjsDocDriver;
import dev.tandem.crdt.differential.YjsPeer;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Validates {@link ConcurrentReplay} against real Yjs: one Y.Doc per agent reaches endContent. */
class ConcurrentTraceYjsTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"friendsforever", "clownschool"})
  void replayThroughYjsReachesEndContent(String name) {
    ConcurrentTrace trace = ConcurrentTrace.load(name);
    YjsPeer peer = YjsPeer.shared();
    ConcurrentReplay.Result r =
        ConcurrentReplay.replay(
            trace,
            agent -> new YjsDocDriver(peer, agent + 1, true, Map.of("text", RootType.TEXT)),
            "text");
    System.out.printf("%s: %d txns, %d merged updates, %d ms%n",
        name, trace.txns().size(), r.updatesApplied(), r.millis());
    assertThat(r.agentTexts()).hasSize(trace.numAgents());
    for (String text : r.agentTexts()) {
      assertThat(text.length()).isEqualTo(trace.endContent().length());
      assertThat(text.equals(trace.endContent())).as(name + " final text").isTrue();
    }
  }
}
