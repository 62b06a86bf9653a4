package dev.tandem.crdt.protocol;

import static dev.tandem.crdt.protocol.SyncAndAuthCodecTest.assertMalformed;
import static dev.tandem.crdt.protocol.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwarenessCodecTest {
  @Test
  void entriesAreIdClockAndJsonText() {
    AwarenessUpdate update =
        AwarenessUpdate.of(
            new AwarenessEntry(1, 2, "{\"a\":1}"), AwarenessEntry.removed(300, 5));
    byte[] wire = bytes(2, 1, 2, 7, "{\"a\":1}", 0xAC, 0x02, 5, 4, "null");
    assertThat(AwarenessCodec.encode(update)).isEqualTo(wire);
    assertThat(AwarenessCodec.decode(wire)).isEqualTo(update);
    assertThat(update.entries().get(0).isRemoved()).isFalse();
    assertThat(update.entries().get(1).isRemoved()).isTrue();
    assertThat(new AwarenessEntry(1, 1, " null\n").isRemoved()).isTrue();
  }

  @Test
  void stateHelpersFollowJsonStringify() {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("user", Map.of("name", "Ann"));
    state.put("10", 1.5);
    state.put("2", List.of(true, 3));
    AwarenessEntry e = AwarenessEntry.of(7, 1, state);
    assertThat(e.stateJson()).isEqualTo("{\"2\":[true,3],\"10\":1.5,\"user\":{\"name\":\"Ann\"}}");
    assertThat(e.state()).isEqualTo(Map.of("2", List.of(true, 3.0), "10", 1.5, "user",
        Map.of("name", "Ann")));
    assertThat(AwarenessEntry.of(7, 1, null).isRemoved()).isTrue();
  }

  @Test
  void rejectsBadUpdates() {
    assertMalformed(() -> AwarenessCodec.decode(new byte[0]), 0);
    assertMalformed(() -> AwarenessCodec.decode(bytes(100, 1, 1)), 0); // count beyond data
    assertMalformed(() -> AwarenessCodec.decode(bytes(1, 1, 1, 2, "{}", 0)), 6); // trailing
    assertMalformed(() -> AwarenessCodec.decode(bytes(1, 1, 1, 2, "{x")), 3); // not JSON
    assertMalformed(() -> AwarenessCodec.decode(bytes(1, 1, 1, 1, " ")), 3); // blank text
    assertMalformed(() -> AwarenessCodec.decode(bytes(1, 1, 1, 0)), 0); // too short for an entry
    assertMalformed(() -> AwarenessCodec.decode(bytes(1, 1, 1, 5, "nul")), 4); // cut string
  }
}
