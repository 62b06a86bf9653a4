package dev.tandem.server.ws;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw websocket test client: records every binary message and the close code. */
final class WsClient {
  final WebSocket ws;
  /** Kept referenced: Vert.x closes a client (and its connections) once it is garbage collected. */
  private final WebSocketClient client;
  final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();

  private WsClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.binaryMessageHandler(b -> received.add(b.getBytes()));
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode() == null ? -1 : (int) ws.closeStatusCode()));
  }

  static WsClient connect(Vertx vertx, int port, String uri) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(64 << 20)
        .setMaxFrameSize(64 << 20));
    // handlers are set on the event loop as the socket is delivered, so no early message is lost
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri))
        .map(ws -> new WsClient(client, ws)).await(10, TimeUnit.SECONDS);
  }

  void send(byte[] bytes) {
    ws.writeBinaryMessage(Buffer.buffer(bytes));
  }

  void sendHex(String hex) {
    send(HexFormat.of().parseHex(hex));
  }

  byte[] next() throws InterruptedException {
    byte[] b = received.poll(10, TimeUnit.SECONDS);
    if (b == null) {
      throw new AssertionError("no message within 10 s" + closedDescription());
    }
    return b;
  }

  /** Next message whose bytes start with {@code prefix} (others are skipped). */
  byte[] nextStartingWith(byte... prefix) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      byte[] b = received.poll(200, TimeUnit.MILLISECONDS);
      if (b != null && b.length >= prefix.length && java.util.Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length)) {
        return b;
      }
    }
    throw new AssertionError("no message starting with " + HexFormat.of().formatHex(prefix) + closedDescription());
  }

  /** For failure messages: whether (and how) the socket was closed meanwhile. */
  private String closedDescription() {
    Integer code = closed.getNow(null);
    return code == null ? " (socket still open)" : " (socket closed: " + code + " " + ws.closeReason() + ")";
  }

  int closeCode() throws Exception {
    return closed.get(10, TimeUnit.SECONDS);
  }

  String closeReason() {
    return ws.closeReason();
  }
}
