package dev.tandem.server.testing;

import dev.tandem.server.redis.EmbeddedRedis;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real server processes ({@code java -jar target/collab-server.jar}, built by {@code package}) for
 * the integration tests that signal them (SIGKILL, SIGTERM). Each process logs to its own temporary
 * file; {@link #close()} kills whatever is still alive and deletes the logs.
 */
public final class ServerProcesses implements AutoCloseable {
  public static final Path JAR = Path.of(System.getProperty("tandem.server.jar", "target/collab-server.jar"));

  private final List<Process> started = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts a server on {@code port} against {@code redis} (auth off) with the
   * extra command-line settings, and waits until {@code /health/ready} answers 200.
   */
  public Process start(EmbeddedRedis redis, String keyPrefix, int port, String... settings) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile("tandem-server", ".log");
    logs.add(log);
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", JAR.toString(), "--http.host=127.0.0.1",
        "--http.port=" + port, "--redis.url=" + redis.connectionString(), "--redis.key-prefix=" + keyPrefix,
        "--auth.mode=none"));
    command.addAll(Arrays.asList(settings));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError("server exited with " + p.exitValue() + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
      if (readyStatus(port) == 200) {
        return p;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server not ready after 60 s:\n" + Files.readString(log, StandardCharsets.UTF_8));
  }

  /** The log file of the most recently started process. */
  public Path lastLog() {
    return logs.get(logs.size() - 1);
  }

  /** The HTTP status of {@code GET /health/ready}, or -1 when nothing answers. */
  public static int readyStatus(int port) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health/ready").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      try {
        return c.getResponseCode();
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void close() throws Exception {
    for (Process p : started) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    for (Path l : logs) {
      Files.deleteIfExists(l);
    }
  }
}
