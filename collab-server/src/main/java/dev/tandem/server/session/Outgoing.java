package dev.tandem.server.session;

import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One message a session broadcasts to many connections (a relayed update, an awareness change).
 * Each connection asks for its wire frame with {@link #frame}: the frame is encoded once per
 * distinct encoding key (y-websocket: one key for every socket; Hocuspocus: the document key the
 * frame is prefixed with) and the same {@link Buffer} is written to every socket that uses that key.
 * Vert.x heap buffers are not reference counted, so one buffer may be written to many sockets.
 *
 * <p>Used only on the session's context (not thread-safe); the cached buffers must not be modified.
 */
public final class Outgoing<T> {
  private final T payload;
  private Object firstKey;
  private Buffer firstFrame;
  private Map<Object, Buffer> more;

  public Outgoing(T payload) {
    this.payload = Objects.requireNonNull(payload);
  }

  public T payload() {
    return payload;
  }

  /** The frame for {@code key}, encoded with {@code encoder} the first time this key is asked for. */
  public Buffer frame(Object key, Function<T, byte[]> encoder) {
    if (firstKey == null) {
      firstKey = key;
      firstFrame = Buffer.buffer(encoder.apply(payload));
      return firstFrame;
    }
    if (firstKey.equals(key)) {
      return firstFrame;
    }
    if (more == null) {
      more = new HashMap<>(4);
    }
    return more.computeIfAbsent(key, k -> Buffer.buffer(encoder.apply(payload)));
  }
}
