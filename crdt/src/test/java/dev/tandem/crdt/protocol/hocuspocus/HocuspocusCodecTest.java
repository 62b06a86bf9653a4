package dev.tandem.crdt.protocol.hocuspocus;

import static dev.tandem.crdt.protocol.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.protocol.AwarenessEntry;
import dev.tandem.crdt.protocol.AwarenessUpdate;
import dev.tandem.crdt.protocol.SyncMessage;
import org.junit.jupiter.api.Test;

/**
 * Hand-built vectors, read off the real sources: @hocuspocus/provider 4.8.0
 * ({@code src/OutgoingMessages/*.ts}, {@code src/MessageReceiver.ts}, {@code
 * src/HocuspocusProviderWebsocket.ts}, {@code src/HocuspocusProvider.ts}), @hocuspocus/server
 * 3.4.4 ({@code src/OutgoingMessage.ts}, {@code src/MessageReceiver.ts}, {@code
 * src/ClientConnection.ts}, {@code src/Connection.ts}) and @hocuspocus/common ({@code
 * src/auth.ts}, {@code src/routingKey.ts}).
 */
class HocuspocusCodecTest {
  private static final Object[] DOC = {3, "doc"};

  private static byte[] doc(Object... rest) {
    Object[] all = new Object[DOC.length + rest.length];
    System.arraycopy(DOC, 0, all, 0, DOC.length);
    System.arraycopy(rest, 0, all, DOC.length, rest.length);
    return bytes(all);
  }

  private static void fromClient(HocuspocusMessage m, byte[] wire) {
    assertThat(HocuspocusEncoder.encode("doc", m)).isEqualTo(wire);
    assertThat(HocuspocusDecoder.decodeFromClient(wire))
        .isEqualTo(new HocuspocusFrame.Document("doc", m));
  }

  private static void fromServer(HocuspocusMessage m, byte[] wire) {
    assertThat(HocuspocusEncoder.encode("doc", m)).isEqualTo(wire);
    assertThat(HocuspocusDecoder.decodeFromServer(wire))
        .isEqualTo(new HocuspocusFrame.Document("doc", m));
  }

  @Test
  void providerMessages() {
    // AuthenticationMessage.ts: name, Auth, writeAuthentication (Token, token), then version
    fromClient(
        new HocuspocusMessage.Auth(new HocuspocusAuth.Token("tok", "4.8.0")),
        doc(2, 0, 3, "tok", 5, "4.8.0"));
    // a token message without the version string (older providers) is accepted too
    fromClient(new HocuspocusMessage.Auth(new HocuspocusAuth.Token("", null)), doc(2, 0, 0));
    // SyncStepOneMessage.ts: name, Sync, writeSyncStep1 (state vector of an empty doc is [0])
    fromClient(new HocuspocusMessage.Sync(new SyncMessage.Step1(bytes(0))), doc(0, 0, 1, 0));
    // SyncStepTwoMessage.ts / UpdateMessage.ts
    fromClient(new HocuspocusMessage.Sync(new SyncMessage.Step2(bytes(0, 0))), doc(0, 1, 2, 0, 0));
    fromClient(new HocuspocusMessage.Sync(new SyncMessage.Update(bytes(0, 0))), doc(0, 2, 2, 0, 0));
    // AwarenessMessage.ts: name, Awareness, var-uint8-array(encodeAwarenessUpdate)
    fromClient(
        new HocuspocusMessage.Awareness(
            AwarenessUpdate.of(new AwarenessEntry(5, 1, "{}"))),
        doc(1, 6, 1, 5, 1, 2, "{}"));
    // QueryAwarenessMessage.ts, CloseMessage.ts: no body
    fromClient(new HocuspocusMessage.QueryAwareness(), doc(3));
    fromClient(new HocuspocusMessage.CloseRequest(), doc(7));
    // StatelessMessage.ts: name, Stateless, var-string payload
    fromClient(new HocuspocusMessage.Stateless("hi"), doc(5, 2, "hi"));
    // server MessageReceiver.ts accepts BroadcastStateless (var-string) from clients
    fromClient(new HocuspocusMessage.BroadcastStateless("yo"), doc(6, 2, "yo"));
    // server MessageReceiver.ts handles SyncReply like Sync
    fromClient(
        new HocuspocusMessage.SyncReply(new SyncMessage.Step2(bytes(0, 0))), doc(4, 1, 2, 0, 0));
    // HocuspocusProviderWebsocket.ts sendPong: the bare type byte, no document name
    assertThat(HocuspocusEncoder.encode(new HocuspocusFrame.Pong())).isEqualTo(bytes(10));
    assertThat(HocuspocusDecoder.decodeFromClient(bytes(10))).isEqualTo(new HocuspocusFrame.Pong());
  }

  @Test
  void serverMessages() {
    // OutgoingMessage.ts writeAuthenticated / writePermissionDenied / writeTokenSyncRequest
    fromServer(
        new HocuspocusMessage.Auth(new HocuspocusAuth.Authenticated(AuthorizedScope.READ_WRITE)),
        doc(2, 2, 10, "read-write"));
    fromServer(
        new HocuspocusMessage.Auth(new HocuspocusAuth.Authenticated(AuthorizedScope.READ_ONLY)),
        doc(2, 2, 8, "readonly"));
    fromServer(
        new HocuspocusMessage.Auth(new HocuspocusAuth.PermissionDenied("permission-denied")),
        doc(2, 1, 17, "permission-denied"));
    fromServer(new HocuspocusMessage.Auth(new HocuspocusAuth.TokenRequest()), doc(2, 0));
    // writeSyncStatus: var-uint 1 (applied) or 0 (refused)
    fromServer(new HocuspocusMessage.SyncStatus(true), doc(8, 1));
    fromServer(new HocuspocusMessage.SyncStatus(false), doc(8, 0));
    // writeCloseMessage: var-string reason, no code (Connection.ts close())
    fromServer(
        new HocuspocusMessage.Close("Server closed the connection"),
        doc(7, 28, "Server closed the connection"));
    fromServer(new HocuspocusMessage.Stateless(""), doc(5, 0));
    fromServer(new HocuspocusMessage.QueryAwareness(), doc(3));
    fromServer(new HocuspocusMessage.Sync(new SyncMessage.Step1(bytes(0))), doc(0, 0, 1, 0));
    fromServer(
        new HocuspocusMessage.SyncReply(new SyncMessage.Step1(bytes(0))), doc(4, 0, 1, 0));
    // provider 4.8.0 answers exactly the one-byte frame [9]
    assertThat(HocuspocusEncoder.encode(new HocuspocusFrame.Ping())).isEqualTo(bytes(9));
    assertThat(HocuspocusDecoder.decodeFromServer(bytes(9))).isEqualTo(new HocuspocusFrame.Ping());
  }

  @Test
  void sessionAwareRoutingKey() {
    // routingKey.ts makeRoutingKey: name + "\0" + sessionId, sent as the first var-string
    byte[] wire = bytes(10, "doc", 0, "abc123", 3);
    HocuspocusFrame.Document f =
        (HocuspocusFrame.Document) HocuspocusDecoder.decodeFromClient(wire);
    assertThat(f.documentKey()).isEqualTo("doc\0abc123");
    assertThat(f.documentName()).isEqualTo("doc");
    assertThat(f.sessionId()).isEqualTo("abc123");
    assertThat(HocuspocusEncoder.encode(f)).isEqualTo(wire);
    HocuspocusFrame.Document plain =
        (HocuspocusFrame.Document) HocuspocusDecoder.decodeFromClient(doc(3));
    assertThat(plain.documentName()).isEqualTo("doc");
    assertThat(plain.sessionId()).isNull();
  }

  @Test
  void rejectsWhatNoPeerSends() {
    byte[][] fromClientBad = {
      bytes(),
      bytes(9), // Ping comes from the server only
      doc(),
      doc(8, 1), // SyncStatus comes from the server only
      doc(11),
      doc(7, 0), // close request has no body
      doc(3, 0), // query awareness has no body
      doc(2, 1, 0), // permission denied from a client
      doc(2, 0, 1, "a", 1, "b", 0), // bytes after the version string
      doc(5), // stateless without its string
      doc(0, 0, 1, 0, 0), // trailing byte after sync
      doc(0, 3, 0), // unknown sync sub-type
      doc(1, 3, 1, 1, 1), // cut awareness entry
    };
    for (byte[] bad : fromClientBad) {
      assertThatThrownBy(() -> HocuspocusDecoder.decodeFromClient(bad))
          .isInstanceOf(MalformedDataException.class);
    }
    byte[][] fromServerBad = {
      bytes(10), // Pong comes from clients only
      doc(8, 2), // SyncStatus is 0 or 1
      doc(8),
      doc(6, 1, "x"), // the server sends Stateless, not BroadcastStateless
      doc(7), // the server's close carries a reason
      doc(2, 2, 5, "admin"), // unknown scope
      doc(2, 3),
      doc(2, 0, 0), // token request has no body
      bytes(9, 0),
    };
    for (byte[] bad : fromServerBad) {
      assertThatThrownBy(() -> HocuspocusDecoder.decodeFromServer(bad))
          .isInstanceOf(MalformedDataException.class);
    }
  }
}
