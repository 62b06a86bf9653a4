package dev.tandem.crdt.protocol.ywebsocket;

import static dev.tandem.crdt.protocol.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.protocol.AuthMessage;
import dev.tandem.crdt.protocol.AwarenessEntry;
import dev.tandem.crdt.protocol.AwarenessUpdate;
import dev.tandem.crdt.protocol.SyncMessage;
import org.junit.jupiter.api.Test;

/** Frame layouts from y-websocket 3.1.0 {@code src/y-websocket.js}. */
class YWebsocketCodecTest {
  @Test
  void framesAreTypeThenBody() {
    check(new YWebsocketMessage.Sync(new SyncMessage.Step1(new byte[] {0})), bytes(0, 0, 1, 0));
    check(
        new YWebsocketMessage.Awareness(AwarenessUpdate.of(AwarenessEntry.removed(1, 2))),
        bytes(1, 8, 1, 1, 2, 4, "null"));
    check(
        new YWebsocketMessage.Auth(new AuthMessage.PermissionDenied("no")),
        bytes(2, 0, 2, "no"));
    check(new YWebsocketMessage.QueryAwareness(), bytes(3));
  }

  private static void check(YWebsocketMessage m, byte[] wire) {
    assertThat(YWebsocketCodec.encode(m)).isEqualTo(wire);
    assertThat(YWebsocketCodec.decode(wire)).isEqualTo(m);
  }

  @Test
  void rejectsMalformedFrames() {
    for (byte[] bad :
        new byte[][] {
          bytes(),
          bytes(4),
          bytes(3, 0), // query awareness has no body
          bytes(0, 0, 1, 0, 0), // trailing byte after sync
          bytes(1, 9, 1, 1, 2, 4, "null", 0), // awareness payload with a byte after the entries
          bytes(1, 9, 1, 1, 2, 4, "null"), // awareness length beyond frame
          bytes(1, 7, 1, 1, 2, 4, "nul"), // cut inside
          bytes(2, 1, 0), // unknown auth sub-type
        }) {
      assertThatThrownBy(() -> YWebsocketCodec.decode(bad))
          .isInstanceOf(MalformedDataException.class);
    }
  }
}
