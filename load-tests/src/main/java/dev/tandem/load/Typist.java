package dev.tandem.load;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The sending side of one simulated client: its Yjs client id and the send time of every update it
 * typed, indexed by clock (one character per update). Written by the client's event loop, read by
 * the receivers' event loops and by the reporting thread.
 */
final class Typist {
  final int index;
  final int document;
  final long yjsClient;
  private final AtomicLongArray sendNanos;
  private volatile int sent;

  Typist(int index, int document, long yjsClient, int capacity) {
    this.index = index;
    this.document = document;
    this.yjsClient = yjsClient;
    this.sendNanos = new AtomicLongArray(capacity);
  }

  int capacity() {
    return sendNanos.length();
  }

  /** Records the send time of the next clock and returns that clock (sender's event loop only). */
  int recordSend(long nanos) {
    int clock = sent;
    sendNanos.set(clock, nanos);
    sent = clock + 1;
    return clock;
  }

  int sent() {
    return sent;
  }

  /** Send time of {@code clock}, or 0 if that clock was never sent. */
  long sendNanos(long clock) {
    return clock >= 0 && clock < sendNanos.length() ? sendNanos.get((int) clock) : 0;
  }
}
