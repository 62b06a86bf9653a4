package dev.tandem.crdt.protocol;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.lib0.Lib0Decoder;
import dev.tandem.crdt.lib0.Lib0Encoder;

/**
 * y-protocols auth messages: {@code writeVarUint(0)} then {@code writeVarString(reason)}.
 * y-protocols silently ignores unknown sub-types; we reject them, since no peer sends any.
 */
public final class AuthCodec {
  private AuthCodec() {}

  public static Lib0Encoder write(Lib0Encoder encoder, AuthMessage message) {
    if (message instanceof AuthMessage.PermissionDenied denied) {
      encoder.writeVarUint(AuthMessage.PERMISSION_DENIED).writeVarString(denied.reason());
    }
    return encoder;
  }

  public static byte[] encode(AuthMessage message) {
    return write(new Lib0Encoder(), message).toByteArray();
  }

  public static AuthMessage read(Lib0Decoder decoder) {
    int at = decoder.position();
    int type = Frames.readType(decoder);
    if (type != AuthMessage.PERMISSION_DENIED) {
      throw new MalformedDataException("unknown auth message type " + type, at);
    }
    return new AuthMessage.PermissionDenied(decoder.readVarString());
  }

  public static AuthMessage decode(byte[] bytes) {
    Lib0Decoder decoder = new Lib0Decoder(bytes);
    AuthMessage message = read(decoder);
    Frames.requireEnd(decoder, "auth message");
    return message;
  }
}
