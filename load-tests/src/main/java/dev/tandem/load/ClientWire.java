package dev.tandem.load;

import dev.tandem.crdt.protocol.SyncMessage;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusAuth;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusDecoder;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusEncoder;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusFrame;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusMessage;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketCodec;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketMessage;
import java.util.List;

/**
 * How a {@link TypingClient} talks to a server: the websocket path, the frames it opens with,
 * and the framing of y-protocols sync messages. The typing and the delivery accounting are the
 * same for every protocol, so the same run can be pointed at Tandem and at its peers.
 */
abstract sealed class ClientWire {

  /** What a frame from the server means to the client. */
  sealed interface Incoming {}

  /** A sync message for the client's document. */
  record SyncIn(SyncMessage message) implements Incoming {}

  /** A frame to send back at once (a keep-alive answer). */
  record Reply(byte[] frame) implements Incoming {}

  /** The server refused or ended the document; the client fails with this reason. */
  record Refused(String reason) implements Incoming {}

  /** Anything else (awareness, status messages): nothing to do. */
  record Ignored() implements Incoming {}

  static final Ignored IGNORED = new Ignored();

  static ClientWire of(LoadOptions.Protocol protocol, String documentName) {
    return switch (protocol) {
      case Y_WEBSOCKET -> new YWebsocket(documentName);
      case HOCUSPOCUS -> new Hocuspocus(documentName);
    };
  }

  /** The websocket path after the server URL's own path, e.g. {@code /ws/doc-1}. */
  abstract String path();

  /** Frames sent right after the socket opened, before the client's SyncStep1. */
  abstract List<byte[]> opening();

  abstract byte[] encode(SyncMessage message);

  /** @throws dev.tandem.crdt.MalformedDataException for a frame that is not of this protocol */
  abstract Incoming decode(byte[] frame);

  /** y-websocket: one document per socket, {@code /ws/<name>} (the reference server takes any path). */
  static final class YWebsocket extends ClientWire {
    private final String path;

    YWebsocket(String documentName) {
      this.path = "/ws/" + urlEncode(documentName);
    }

    @Override
    String path() {
      return path;
    }

    @Override
    List<byte[]> opening() {
      return List.of();
    }

    @Override
    byte[] encode(SyncMessage message) {
      return YWebsocketCodec.encode(new YWebsocketMessage.Sync(message));
    }

    @Override
    Incoming decode(byte[] frame) {
      return YWebsocketCodec.decode(frame) instanceof YWebsocketMessage.Sync s ? new SyncIn(s.message()) : IGNORED;
    }
  }

  /**
   * Hocuspocus, as provider 4.8.0 speaks it: one document on its own socket at {@code /hocuspocus}
   * (Hocuspocus itself takes any path), frames prefixed with the document name, an (empty) token
   * first, Pong for every Ping.
   */
  static final class Hocuspocus extends ClientWire {
    private final String documentName;

    Hocuspocus(String documentName) {
      this.documentName = documentName;
    }

    @Override
    String path() {
      return "/hocuspocus";
    }

    @Override
    List<byte[]> opening() {
      return List.of(HocuspocusEncoder.encode(documentName,
          new HocuspocusMessage.Auth(new HocuspocusAuth.Token("", null))));
    }

    @Override
    byte[] encode(SyncMessage message) {
      return HocuspocusEncoder.encode(documentName, new HocuspocusMessage.Sync(message));
    }

    @Override
    Incoming decode(byte[] frame) {
      HocuspocusFrame f = HocuspocusDecoder.decodeFromServer(frame);
      if (f instanceof HocuspocusFrame.Ping) {
        return new Reply(HocuspocusEncoder.encode(new HocuspocusFrame.Pong()));
      }
      if (!(f instanceof HocuspocusFrame.Document d) || !d.documentName().equals(documentName)) {
        return IGNORED;
      }
      HocuspocusMessage m = d.message();
      if (m instanceof HocuspocusMessage.Sync s) {
        return new SyncIn(s.message());
      }
      if (m instanceof HocuspocusMessage.SyncReply s) {
        return new SyncIn(s.message());
      }
      if (m instanceof HocuspocusMessage.Close c) {
        return new Refused("document closed by the server: " + c.reason());
      }
      if (m instanceof HocuspocusMessage.Auth a && a.auth() instanceof HocuspocusAuth.PermissionDenied p) {
        return new Refused("permission denied: " + p.reason());
      }
      return IGNORED;
    }
  }

  private static String urlEncode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}
