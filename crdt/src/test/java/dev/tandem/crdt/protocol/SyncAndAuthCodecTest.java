package dev.tandem.crdt.protocol;

import static dev.tandem.crdt.protocol.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.crdt.MalformedDataException;
import org.junit.jupiter.api.Test;

class SyncAndAuthCodecTest {
  @Test
  void syncMessagesAreTypeThenLengthPrefixedPayload() {
    assertThat(SyncCodec.encode(new SyncMessage.Step1(new byte[] {0})))
        .isEqualTo(bytes(0, 1, 0));
    assertThat(SyncCodec.encode(new SyncMessage.Step2(new byte[] {0, 0})))
        .isEqualTo(bytes(1, 2, 0, 0));
    assertThat(SyncCodec.encode(new SyncMessage.Update(new byte[200])))
        .startsWith(bytes(2, 0xC8, 0x01))
        .hasSize(203);
    assertThat(SyncCodec.decode(bytes(2, 3, 7, 8, 9)))
        .isEqualTo(new SyncMessage.Update(new byte[] {7, 8, 9}));
  }

  @Test
  void syncRejectsBadInput() {
    assertMalformed(() -> SyncCodec.decode(new byte[0]), 0);
    assertMalformed(() -> SyncCodec.decode(bytes(3, 0)), 0); // unknown sub-type
    assertMalformed(() -> SyncCodec.decode(bytes(0, 5, 1, 2)), 2); // length beyond buffer
    assertMalformed(() -> SyncCodec.decode(bytes(0, 1, 0, 9)), 3); // trailing byte
    assertMalformed(() -> SyncCodec.decode(bytes(0x80)), 0); // cut var-uint
    assertMalformed(
        () -> SyncCodec.decode(bytes(0, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F)), 1); // huge length
  }

  @Test
  void permissionDeniedIsSubtypeZeroAndReason() {
    byte[] wire = bytes(0, 7, "nope é");
    assertThat(AuthCodec.decode(wire)).isEqualTo(new AuthMessage.PermissionDenied("nope é"));
    assertThat(AuthCodec.encode(new AuthMessage.PermissionDenied("nope é"))).isEqualTo(wire);
    assertMalformed(() -> AuthCodec.decode(bytes(1, 0)), 0);
    assertMalformed(() -> AuthCodec.decode(bytes(0, 1, 0xFF)), 1); // invalid UTF-8
    assertMalformed(() -> AuthCodec.decode(bytes(0, 0, 0)), 2);
  }

  static void assertMalformed(Runnable r, long offset) {
    assertThatThrownBy(r::run)
        .isInstanceOf(MalformedDataException.class)
        .satisfies(e -> assertThat(((MalformedDataException) e).offset()).isEqualTo(offset));
  }
}
