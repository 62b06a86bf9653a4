package dev.tandem.crdt.protocol.hocuspocus;

import static dev.tandem.crdt.protocol.hocuspocus.HocuspocusMessageType.*;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.lib0.Lib0Decoder;
import dev.tandem.crdt.protocol.AwarenessCodec;
import dev.tandem.crdt.protocol.Frames;
import dev.tandem.crdt.protocol.SyncCodec;

/**
 * Decodes Hocuspocus frames from untrusted bytes. Accepted per direction, from server 3.4.4
 * and provider 4.8.0:
 *
 * <ul>
 *   <li>from a client: Sync, SyncReply, Awareness, Auth Token (token, then an optional
 *       provider version string), QueryAwareness, Stateless, BroadcastStateless, CLOSE with no
 *       body, and the one-byte Pong frame;
 *   <li>from the server: Sync, SyncReply, Awareness, Auth (token request with no body,
 *       PermissionDenied reason, Authenticated scope), QueryAwareness, Stateless, CLOSE with a
 *       reason, SyncStatus 0/1, and the one-byte Ping frame.
 * </ul>
 *
 * Anything else, and any byte left after the message, is a {@link MalformedDataException}:
 * neither peer ever sends more than one message per frame or pads one.
 */
public final class HocuspocusDecoder {
  private HocuspocusDecoder() {}

  public static HocuspocusFrame decodeFromClient(byte[] frame) {
    return decode(frame, Direction.FROM_CLIENT);
  }

  public static HocuspocusFrame decodeFromServer(byte[] frame) {
    return decode(frame, Direction.FROM_SERVER);
  }

  public static HocuspocusFrame decode(byte[] frame, Direction direction) {
    // Connection-level frames: the provider tests for exactly one byte, so do we. A document
    // frame can never be one byte long with a first byte of 9 or 10 (the name would be cut).
    if (frame.length == 1) {
      if (direction == Direction.FROM_SERVER && frame[0] == PING) {
        return new HocuspocusFrame.Ping();
      }
      if (direction == Direction.FROM_CLIENT && frame[0] == PONG) {
        return new HocuspocusFrame.Pong();
      }
    }
    Lib0Decoder decoder = new Lib0Decoder(frame);
    String key = decoder.readVarString();
    HocuspocusMessage message = readMessage(decoder, direction);
    Frames.requireEnd(decoder, "Hocuspocus message");
    return new HocuspocusFrame.Document(key, message);
  }

  private static HocuspocusMessage readMessage(Lib0Decoder d, Direction direction) {
    int at = d.position();
    int type = Frames.readType(d);
    boolean fromClient = direction == Direction.FROM_CLIENT;
    switch (type) {
      case SYNC:
        return new HocuspocusMessage.Sync(SyncCodec.read(d));
      case SYNC_REPLY:
        return new HocuspocusMessage.SyncReply(SyncCodec.read(d));
      case AWARENESS:
        return new HocuspocusMessage.Awareness(AwarenessCodec.readNested(d));
      case AUTH:
        return new HocuspocusMessage.Auth(fromClient ? readClientAuth(d) : readServerAuth(d));
      case QUERY_AWARENESS:
        return new HocuspocusMessage.QueryAwareness();
      case STATELESS:
        return new HocuspocusMessage.Stateless(d.readVarString());
      case BROADCAST_STATELESS:
        if (fromClient) {
          return new HocuspocusMessage.BroadcastStateless(d.readVarString());
        }
        break;
      case CLOSE:
        return fromClient
            ? new HocuspocusMessage.CloseRequest()
            : new HocuspocusMessage.Close(d.readVarString());
      case SYNC_STATUS:
        if (!fromClient) {
          int vat = d.position();
          long v = d.readVarUint();
          if (v > 1) {
            throw new MalformedDataException("SyncStatus must be 0 or 1, got " + v, vat);
          }
          return new HocuspocusMessage.SyncStatus(v == 1);
        }
        break;
      default:
        break;
    }
    throw new MalformedDataException(
        "unknown Hocuspocus message type " + type + " " + directionText(direction), at);
  }

  private static String directionText(Direction direction) {
    return direction == Direction.FROM_CLIENT ? "from a client" : "from the server";
  }

  private static HocuspocusAuth readClientAuth(Lib0Decoder d) {
    int at = d.position();
    int sub = Frames.readType(d);
    if (sub != AUTH_TOKEN) {
      throw new MalformedDataException("unknown auth sub-type " + sub + " from a client", at);
    }
    String token = d.readVarString();
    String version = d.hasContent() ? d.readVarString() : null;
    return new HocuspocusAuth.Token(token, version);
  }

  private static HocuspocusAuth readServerAuth(Lib0Decoder d) {
    int at = d.position();
    int sub = Frames.readType(d);
    switch (sub) {
      case AUTH_TOKEN:
        return new HocuspocusAuth.TokenRequest();
      case AUTH_PERMISSION_DENIED:
        return new HocuspocusAuth.PermissionDenied(d.readVarString());
      case AUTH_AUTHENTICATED:
        int sat = d.position();
        String s = d.readVarString();
        AuthorizedScope scope = AuthorizedScope.fromWire(s);
        if (scope == null) {
          throw new MalformedDataException("unknown authorized scope '" + s + "'", sat);
        }
        return new HocuspocusAuth.Authenticated(scope);
      default:
        throw new MalformedDataException("unknown auth sub-type " + sub + " from the server", at);
    }
  }
}
