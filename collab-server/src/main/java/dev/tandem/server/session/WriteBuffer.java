package dev.tandem.server.session;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's bounded write buffer: accounting of every update that was applied in memory (and relayed)
 * but is not stored in Redis yet, over all documents. While Redis is healthy it holds only the appends
 * in flight; while Redis is down or slow (circuit breaker open) it is where edits wait, in order per
 * document (each document's appends are chained, see {@link DocumentSession}).
 *
 * <p>A session reserves room <em>before</em> it applies an update ({@link #tryReserve}); when there is
 * none, the update is refused and nothing of it is kept (see {@link WriteBufferFullException}). The
 * room is released once Redis stored the update, or right away when the update brought nothing new.
 * Sessions that refused an update register with {@link #onRoom} and are called back (on their context)
 * once usage is at most half of both limits, to ask their clients for a resync. Thread-safe.
 */
public final class WriteBuffer {
  private final long maxUpdates;
  private final long maxBytes;
  private long updates;
  private long bytes;
  private long refused;
  /** Callbacks waiting for room, each already bound to its context. */
  private final List<Runnable> roomWaiters = new ArrayList<>();

  public WriteBuffer(long maxUpdates, long maxBytes) {
    if (maxUpdates < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("write buffer limits must be positive");
    }
    this.maxUpdates = maxUpdates;
    this.maxBytes = maxBytes;
  }

  /** Takes room for one update of {@code size} bytes; false (and counted as a refusal) when it does not fit. */
  public synchronized boolean tryReserve(long size) {
    if (updates + 1 > maxUpdates || bytes + size > maxBytes) {
      refused++;
      return false;
    }
    updates++;
    bytes += size;
    return true;
  }

  /**
   * Changes the size of one reservation: an applied update holds room for what it brought (what
   * is stored), which may be smaller or larger than the frame it arrived in. May exceed the byte
   * limit by that difference; the update itself was admitted.
   */
  public synchronized void resize(long fromSize, long toSize) {
    bytes += toSize - fromSize;
  }

  /** Gives back the room of one update of {@code size} bytes. */
  public void release(long size) {
    List<Runnable> fire = null;
    synchronized (this) {
      updates--;
      bytes -= size;
      if (!roomWaiters.isEmpty() && halfEmpty()) {
        fire = new ArrayList<>(roomWaiters);
        roomWaiters.clear();
      }
    }
    if (fire != null) {
      fire.forEach(Runnable::run);
    }
  }

  /** Usage is at most half of both limits (caller holds the lock). */
  private boolean halfEmpty() {
    return updates <= maxUpdates / 2 && bytes <= maxBytes / 2;
  }

  /** Runs {@code r} on {@code context} once usage is at most half of both limits (right away if it is). */
  public void onRoom(Context context, Runnable r) {
    Runnable onContext = () -> context.runOnContext(v -> r.run());
    synchronized (this) {
      if (!halfEmpty()) {
        roomWaiters.add(onContext);
        return;
      }
    }
    onContext.run();
  }

  public synchronized long updates() {
    return updates;
  }

  public synchronized long bytes() {
    return bytes;
  }

  /** Updates refused since start because the buffer was full. */
  public synchronized long refusedTotal() {
    return refused;
  }

  public long maxUpdates() {
    return maxUpdates;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** For error messages: "12 updates / 3456 bytes (limits 100000 / 67108864)". */
  public synchronized String describe() {
    return updates + " updates / " + bytes + " bytes (limits " + maxUpdates + " / " + maxBytes + ")";
  }
}
