package dev.tandem.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * collab-server run as a child process ({@code java -jar collab-server.jar}) on a free loopback
 * port with its embedded Redis in a work folder, so its CPU and heap are measured apart from the
 * harness. {@link #close()} stops it with SIGTERM (which stops its Redis) and kills whatever is
 * left of it and its children after a timeout.
 */
final class ServerProcess implements AutoCloseable {
  final Process process;
  final int port;
  final Path log;
  final List<String> command;

  private ServerProcess(Process process, int port, Path log, List<String> command) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.command = command;
  }

  static ServerProcess start(Path jar, String jvmOpts, List<String> serverArgs, Path workDir) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException("collab-server jar not found: " + jar
          + " (build it: ./mvnw -B -ntp -DskipTests package)");
    }
    int port = freePort();
    Path dataDir = workDir.resolve("data");
    Path log = workDir.resolve("server.log");
    Files.createDirectories(dataDir);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (jvmOpts != null && !jvmOpts.isBlank()) {
      cmd.addAll(Arrays.asList(jvmOpts.trim().split("\\s+")));
    }
    cmd.add("-jar");
    cmd.add(jar.toAbsolutePath().toString());
    cmd.add("--http.host=127.0.0.1");
    cmd.add("--http.port=" + port);
    cmd.add("--data.dir=" + dataDir.toAbsolutePath());
    cmd.addAll(serverArgs);
    Process p = new ProcessBuilder(cmd).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ServerProcess server = new ServerProcess(p, port, log, List.copyOf(cmd));
    try {
      server.awaitReady(Duration.ofSeconds(90));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  long pid() {
    return process.pid();
  }

  /** Pids of the server's descendants (its embedded redis-server). */
  List<Long> childPids() {
    return process.descendants().map(ProcessHandle::pid).toList();
  }

  private void awaitReady(Duration timeout) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("collab-server exited with " + process.exitValue() + " before it was ready:\n" + tail());
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the server", e);
      }
      sleep(100);
    }
    throw new IOException("collab-server not ready within " + timeout + ":\n" + tail());
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy(); // SIGTERM: the server stops its embedded Redis itself
    try {
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      for (ProcessHandle c : children) {
        if (c.isAlive()) {
          c.destroy();
          c.onExit().get(15, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // fall through to the forced kill
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
