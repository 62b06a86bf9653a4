package dev.tandem.load;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.protocol.SyncMessage;
import dev.tandem.crdt.update.DecodedUpdate;
import dev.tandem.crdt.update.DeleteSet;
import dev.tandem.crdt.update.Updates;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One simulated client of one document, speaking y-websocket or Hocuspocus ({@link ClientWire}):
 * connects (to {@code /ws/<document>} or {@code /hocuspocus}), does the sync handshake
 * (answers the server's SyncStep1 with its own, empty, SyncStep2; sends SyncStep1 and waits for the
 * server's SyncStep2), then types one character per update at its rate with jitter. Everything it
 * does runs on its own event-loop context.
 *
 * <p>Every incoming Sync Update (and SyncStep2) is decoded; each inserted unit {@code (client,
 * clock)} of another client of the same document counts as one delivery, timed against the
 * sender's recorded send time when the update was sent in the measured window.
 */
final class TypingClient {
  private static final byte[] EMPTY_UPDATE = Updates.encodeUpdate(new DecodedUpdate(List.of(), new DeleteSet()));
  private static final byte[] EMPTY_STATE_VECTOR = Updates.encodeStateVector(Map.of());

  final Typist me;
  private final String documentName;
  private final Deliveries deliveries;
  private final SplittableRandom random;
  private final Context context;
  private final ClientWire wire;
  private final Promise<Void> synced = Promise.promise();
  /** Per sender: the clocks received (guarded by this). */
  private final Map<Long, BitSet> received = new HashMap<>();
  private WebSocket ws;
  private volatile String failure;
  private volatile boolean closing;

  TypingClient(Typist me, String documentName, Deliveries deliveries, long seed, Context context, ClientWire wire) {
    this.me = me;
    this.wire = wire;
    this.documentName = documentName;
    this.deliveries = deliveries;
    this.random = new SplittableRandom(seed);
    this.context = context;
  }

  /** Connects and completes once the sync handshake is done. */
  Future<Void> connect(WebSocketClient client, String host, int port, String pathPrefix) {
    context.runOnContext(v -> {
      WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(host).setPort(port)
          .setURI(pathPrefix + wire.path()).setTimeout(30_000);
      client.connect(o).onComplete(ar -> {
        if (ar.failed()) {
          fail("connect failed: " + ar.cause());
          return;
        }
        ws = ar.result();
        ws.binaryMessageHandler(this::onFrame);
        ws.textMessageHandler(t -> fail("unexpected text frame"));
        ws.exceptionHandler(e -> fail("socket error: " + e));
        ws.closeHandler(x -> {
          if (!closing) {
            fail("closed by server: " + ws.closeStatusCode() + " " + ws.closeReason());
          }
        });
        for (byte[] frame : wire.opening()) {
          ws.writeBinaryMessage(Buffer.buffer(frame));
        }
        send(new SyncMessage.Step1(EMPTY_STATE_VECTOR));
      });
    });
    return synced.future();
  }

  /** Types at {@code rate}/s from about {@code startNanos} (random phase) until {@code endNanos}. */
  void startTyping(long startNanos, long endNanos, double rate, double jitter) {
    long period = (long) (1e9 / rate);
    long first = startNanos + (long) (random.nextDouble() * period);
    context.runOnContext(v -> schedule(first, endNanos, period, jitter));
  }

  private void schedule(long plannedNanos, long endNanos, long period, double jitter) {
    if (plannedNanos >= endNanos || failure != null || closing) {
      return;
    }
    long delayMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(plannedNanos - System.nanoTime()));
    context.owner().setTimer(delayMs, t -> {
      if (failure != null || closing || System.nanoTime() >= endNanos) {
        return;
      }
      typeOne();
      long gap = (long) (period * (1 - jitter + 2 * jitter * random.nextDouble()));
      schedule(plannedNanos + gap, endNanos, period, jitter);
    });
  }

  private void typeOne() {
    int clock = me.sent();
    if (clock >= me.capacity()) {
      fail("send capacity exceeded");
      return;
    }
    byte[] frame = wire.encode(new SyncMessage.Update(TypingUpdates.typeChar(me.yjsClient, clock)));
    me.recordSend(System.nanoTime());
    if (ws.writeQueueFull()) {
      deliveries.writeQueueFull.increment();
    }
    deliveries.bytesSent.add(frame.length);
    ws.writeBinaryMessage(Buffer.buffer(frame));
  }

  private void onFrame(Buffer buffer) {
    long now = System.nanoTime();
    byte[] frame = buffer.getBytes();
    deliveries.framesReceived.increment();
    deliveries.bytesReceived.add(frame.length);
    ClientWire.Incoming in;
    try {
      in = wire.decode(frame);
    } catch (MalformedDataException e) {
      fail("undecodable frame from server: " + e.getMessage());
      return;
    }
    if (in instanceof ClientWire.Reply reply) {
      ws.writeBinaryMessage(Buffer.buffer(reply.frame()));
      return;
    }
    if (in instanceof ClientWire.Refused refused) {
      fail(refused.reason());
      return;
    }
    if (!(in instanceof ClientWire.SyncIn sync)) {
      return; // awareness (incl. keep-alives), query-awareness, auth, status: nothing to measure
    }
    SyncMessage s = sync.message();
    if (s instanceof SyncMessage.Step1) {
      // We hold nothing the server lacks before typing starts (and afterwards every update was sent).
      send(new SyncMessage.Step2(EMPTY_UPDATE));
    } else if (s instanceof SyncMessage.Step2 step2) {
      receiveInserts(step2.update(), now, false);
      synced.tryComplete();
    } else {
      receiveInserts(s.payload(), now, true);
    }
  }

  private void receiveInserts(byte[] update, long now, boolean live) {
    try {
      TypingUpdates.forEachInsert(update, (client, clock) -> onInsert(client, clock, now, live));
    } catch (MalformedDataException e) {
      fail("undecodable update from server: " + e.getMessage());
    }
  }

  private void onInsert(long client, long clock, long now, boolean live) {
    if (client == me.yjsClient) {
      deliveries.echoes.increment();
      return;
    }
    Typist sender = deliveries.byYjsClient.get(client);
    if (sender == null || sender.document != me.document) {
      deliveries.foreign.increment();
      return;
    }
    boolean fresh;
    synchronized (this) {
      BitSet bs = received.computeIfAbsent(client, c -> new BitSet());
      fresh = !bs.get((int) clock);
      if (fresh) {
        bs.set((int) clock);
      }
    }
    if (!fresh) {
      deliveries.duplicates.increment();
      return;
    }
    deliveries.delivered.increment();
    if (!live) {
      deliveries.viaSyncStep2.increment();
      return;
    }
    long sentAt = sender.sendNanos(clock);
    if (sentAt != 0 && deliveries.measured(sentAt)) {
      deliveries.deliveredMeasured.increment();
      deliveries.recordLatency(now - sentAt);
    }
  }

  /** Deliveries from {@code sender} this client is missing: clocks below its sent count not received. */
  synchronized long missingFrom(Typist sender) {
    BitSet bs = received.get(sender.yjsClient);
    int sent = sender.sent();
    if (bs == null) {
      return sent;
    }
    return sent - bs.get(0, sent).cardinality();
  }

  /** Missing deliveries among the updates {@code sender} sent in the measured window. */
  synchronized long missingMeasuredFrom(Typist sender) {
    BitSet bs = received.get(sender.yjsClient);
    long missing = 0;
    int sent = sender.sent();
    for (int c = 0; c < sent; c++) {
      if (deliveries.measured(sender.sendNanos(c)) && (bs == null || !bs.get(c))) {
        missing++;
      }
    }
    return missing;
  }

  String failure() {
    return failure;
  }

  Future<Void> close() {
    closing = true;
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      if (ws == null || ws.isClosed()) {
        p.complete();
      } else {
        ws.close((short) 1000, "load run finished").onComplete(ar -> p.complete());
      }
    });
    return p.future();
  }

  private void send(SyncMessage m) {
    ws.writeBinaryMessage(Buffer.buffer(wire.encode(m)));
  }

  private void fail(String why) {
    if (failure == null && !closing) {
      failure = documentName + "/" + me.yjsClient + ": " + why;
    }
    synced.tryFail(why);
  }
}
