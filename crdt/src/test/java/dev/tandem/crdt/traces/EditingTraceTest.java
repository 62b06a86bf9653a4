package dev.tandem.crdt.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EditingTraceTest {

  static List<String> sequential() {
    List<String> names = EditingTrace.sequentialNames();
    assertThat(names).as("sequential traces in " + TraceFiles.dir()).isNotEmpty();
    return names;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sequential")
  void sequentialTraceReplaysToEndContent(String name) {
    EditingTrace trace = EditingTrace.loadSequential(name);
    assertThat(trace.txns()).isNotEmpty();
    String end = trace.replayOnString();
    assertThat(end.length()).as(name + " length").isEqualTo(trace.endContent().length());
    assertThat(end.equals(trace.endContent())).as(name + " content").isTrue();
  }

  @Test
  @SuppressWarnings("unchecked")
  void codePointPositionsBecomeUtf16() {
    // "a😀b" then insert "X" at code point 2 (after the emoji), delete the emoji (cp 1, 1 cp)
    String json =
        "{\"startContent\":\"a\\ud83d\\ude00b\",\"endContent\":\"aX\\ud83d\\udc4dc\","
            + "\"txns\":[{\"patches\":[[2,0,\"X\"],[1,1,\"\"]]},{\"patches\":[[2,1,\"\\ud83d\\udc4dc\"]]}]}";
    EditingTrace t = EditingTrace.fromJson("synthetic", (Map<String, Object>) Json.parse(json));
    assertThat(t.txns().get(0)).containsExactly(new Patch(3, 0, "X"), new Patch(1, 2, ""));
    assertThat(t.txns().get(1)).containsExactly(new Patch(2, 1, "👍c"));
    assertThat(t.replayOnString()).isEqualTo(t.endContent());
  }

  @Test
  void concurrentTracesLoad() {
    assertThat(ConcurrentTrace.names()).contains("friendsforever", "clownschool");
    for (String name : ConcurrentTrace.names()) {
      ConcurrentTrace t = ConcurrentTrace.load(name);
      assertThat(t.txns().get(0).parents()).isEmpty();
      assertThat(t.txns().stream().filter(x -> x.parents().length > 1).count())
          .as(name + " has merges").isPositive();
      assertThat(t.numAgents()).isGreaterThan(1);
    }
  }
}
