package dev.tandem.load;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A peer server process for side-by-side runs: {@code node load-tests/peers/<script> PORT}
 * (Hocuspocus 3.4.4 or the reference y-websocket server), ready once it answers HTTP.
 */
final class PeerServer implements AutoCloseable {
  final Process process;
  final int port;
  final Path log;

  private PeerServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static PeerServer start(String script, Path logDir) throws Exception {
    Path peers = Path.of(System.getProperty("tandem.peers.dir", "peers"));
    String node = System.getProperty("tandem.node.executable", "node");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = logDir.resolve(script + ".log");
    Process p = new ProcessBuilder(node, peers.resolve(script).toString(), String.valueOf(port))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PeerServer server = new PeerServer(p, port, log);
    // HTTP/1.1 only: the default first request offers an h2c upgrade, which a Node server hands
    // to its websocket upgrade handler instead of answering
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(script + " exited: " + Files.readString(log));
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return server;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    server.close();
    throw new IllegalStateException(script + " did not answer HTTP within 30 s: " + Files.readString(log));
  }

  String url() {
    return "ws://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
