package dev.tandem.server.testing;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs one scenario of {@code src/test/node/clients.mjs} (real yjs / y-websocket / Hocuspocus
 * clients) against a running server: a child {@code node} process with a timeout, stdout and stderr
 * captured into the failure message. Scenarios that print {@code WAITING <what>} get the answer of
 * {@code onWaiting} written to their stdin.
 */
public final class NodeClients {
  public static final Path DIR = Path.of(System.getProperty("tandem.node.dir", "src/test/node"));
  private static final String NODE = System.getProperty("tandem.node.executable", "node");

  private NodeClients() {}

  public static JsonObject run(long timeoutSeconds, List<String> args) throws Exception {
    return run(timeoutSeconds, args, what -> "go");
  }

  public static JsonObject run(long timeoutSeconds, List<String> args, Function<String, String> onWaiting) throws Exception {
    if (!Files.isDirectory(DIR.resolve("node_modules"))) {
      throw new IllegalStateException(DIR + "/node_modules is missing: run the Maven build (it runs npm ci there)");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(NODE);
    cmd.add("clients.mjs");
    cmd.addAll(args);
    cmd.add("--timeout-ms");
    cmd.add(Long.toString(timeoutSeconds * 1000 - 2000));
    Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).start();
    StringBuilder err = new StringBuilder();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread errPump = pump(p.getErrorStream(), line -> {
      synchronized (err) {
        err.append(line).append('\n');
      }
    });
    Thread outPump = pump(p.getInputStream(), lines::add);
    List<String> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    try (OutputStream stdin = p.getOutputStream()) {
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left <= 0 ? null : lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
        if (line == null) {
          if (!p.isAlive() && lines.isEmpty() && !outPump.isAlive()) {
            break;
          }
          if (System.nanoTime() >= deadline) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("node " + args + " timed out after " + timeoutSeconds + " s\nstdout:\n"
                + String.join("\n", out) + "\nstderr:\n" + err);
          }
          continue;
        }
        out.add(line);
        if (line.startsWith("WAITING ")) {
          String answer = onWaiting.apply(line.substring("WAITING ".length()));
          stdin.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
          stdin.flush();
        }
      }
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
    p.waitFor(10, TimeUnit.SECONDS);
    errPump.join(2000);
    String last = out.isEmpty() ? "" : out.get(out.size() - 1);
    JsonObject result;
    try {
      result = new JsonObject(last);
    } catch (RuntimeException e) {
      result = new JsonObject().put("ok", false).put("error", "no JSON result line");
    }
    if (p.exitValue() != 0 || !result.getBoolean("ok", false)) {
      throw new AssertionError("node " + args + " failed (exit " + p.exitValue() + "): " + result.getString("error")
          + "\nstdout:\n" + String.join("\n", out) + "\nstderr:\n" + err);
    }
    return result;
  }

  private static Thread pump(java.io.InputStream in, java.util.function.Consumer<String> sink) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          sink.accept(line);
        }
      } catch (IOException ignored) {
        // process ended
      }
    }, "node-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
