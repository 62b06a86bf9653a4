package dev.tandem.crdt.differential;

import dev.tandem.crdt.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running {@code node crdt/oracle/peer.mjs}: real Yjs 13.6.33 documents addressed by name,
 * driven over newline-delimited JSON (protocol in peer.mjs and crdt/oracle/OPS.md).
 *
 * <p>Use {@link #shared()} (one process per JVM, closed by a shutdown hook; the node process also
 * exits when its stdin closes) or {@link #start()} in try-with-resources. The oracle directory
 * comes from the system property {@code tandem.oracle.src} (set by surefire in crdt/pom.xml),
 * falling back to {@code crdt/oracle} or {@code oracle} under the working directory; the node
 * binary from {@code tandem.node} (default {@code node}). Missing node or node_modules fail
 * loudly. Requests time out ({@link #timeout(Duration)}, default 60 s); a timed-out or crashed
 * peer is killed and every failure message carries the tail of its stderr.
 */
public final class YjsPeer implements AutoCloseable {
  private static YjsPeer shared;

  private final Process process;
  private final Writer stdin;
  private final Map<Long, CompletableFuture<Map<String, Object>>> pending =
      new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong docNames = new AtomicLong();
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final Thread stdoutReader;
  private final Thread stderrReader;
  private volatile Duration timeout = Duration.ofSeconds(60);
  private volatile String deathReason;

  private YjsPeer(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.stdoutReader = new Thread(this::readStdout, "yjs-peer-stdout");
    this.stderrReader = new Thread(this::readStderr, "yjs-peer-stderr");
    stdoutReader.setDaemon(true);
    stderrReader.setDaemon(true);
    stdoutReader.start();
    stderrReader.start();
  }

  /** The JVM-wide peer, started on first use and stopped at JVM exit. */
  public static synchronized YjsPeer shared() {
    if (shared == null || !shared.process.isAlive()) {
      YjsPeer peer = start();
      Runtime.getRuntime().addShutdownHook(new Thread(peer::close, "yjs-peer-shutdown"));
      shared = peer;
    }
    return shared;
  }

  /** Starts a new peer process; the caller closes it. */
  public static YjsPeer start() {
    Path dir = oracleDir();
    Path script = dir.resolve("peer.mjs");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("missing " + script.toAbsolutePath());
    }
    if (!Files.isDirectory(dir.resolve("node_modules").resolve("yjs"))) {
      throw new IllegalStateException(
          "Yjs is not installed in "
              + dir.toAbsolutePath()
              + "/node_modules: run `cd crdt/oracle && npm ci` (Node 20) before these tests");
    }
    String node = System.getProperty("tandem.node", "node");
    ProcessBuilder pb = new ProcessBuilder(node, "peer.mjs").directory(dir.toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run `" + node + "` (Node 20 must be on PATH, or set -Dtandem.node=/path/to/node)",
          e);
    }
    YjsPeer peer = new YjsPeer(p);
    Object yjs = peer.call("ping", Map.of()).get("yjs");
    if (!"13.6.33".equals(yjs)) {
      peer.close();
      throw new IllegalStateException("peer reports yjs " + yjs);
    }
    return peer;
  }

  static Path oracleDir() {
    String prop = System.getProperty("tandem.oracle.src");
    if (prop != null) {
      return Path.of(prop);
    }
    for (String candidate : List.of("crdt/oracle", "oracle")) {
      Path p = Path.of(candidate);
      if (Files.isRegularFile(p.resolve("peer.mjs"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "system property tandem.oracle.src is not set and no crdt/oracle/peer.mjs under "
            + Path.of("").toAbsolutePath());
  }

  /** Sets the per-request timeout. */
  public YjsPeer timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** A doc name unused so far in this peer. */
  public String freshDocName(String prefix) {
    return prefix + "#" + docNames.incrementAndGet();
  }

  // ------------------------------------------------------------------ raw protocol

  /** Sends a request without waiting; the future fails with {@link PeerException} on error. */
  public CompletableFuture<Map<String, Object>> send(String cmd, Map<String, Object> args) {
    long id = ids.incrementAndGet();
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("id", (double) id);
    req.put("cmd", cmd);
    req.putAll(args);
    String line = Json.stringify(req);
    CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
    pending.put(id, f);
    if (deathReason != null) {
      pending.remove(id);
      f.completeExceptionally(new PeerException("peer is dead: " + deathReason + stderr()));
      return f;
    }
    try {
      synchronized (stdin) {
        stdin.write(line);
        stdin.write('\n');
        stdin.flush();
      }
    } catch (IOException e) {
      pending.remove(id);
      f.completeExceptionally(new PeerException("cannot write to peer: " + e + stderr()));
    }
    return f;
  }

  /** Sends a request and waits for its result; throws {@link PeerException} on error/timeout. */
  public Map<String, Object> call(String cmd, Map<String, Object> args) {
    return await(send(cmd, args), cmd);
  }

  private Map<String, Object> await(CompletableFuture<Map<String, Object>> f, String what) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      kill("request " + what + " timed out after " + timeout);
      throw new PeerException("peer request " + what + " timed out after " + timeout + stderr());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PeerException pe) {
        throw new PeerException(pe.getMessage(), pe);
      }
      throw new PeerException("peer request " + what + " failed: " + e.getCause() + stderr());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerException("interrupted waiting for peer" + stderr());
    }
  }

  /**
   * Runs requests ({@code {"cmd": .., ...args}}) in one round trip; returns each one's result.
   * The first failing request throws (later ones have still been executed by the peer).
   */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> batch(List<Map<String, Object>> requests) {
    if (requests.isEmpty()) {
      return List.of();
    }
    List<Object> reqs = new ArrayList<>(requests);
    List<Object> results = (List<Object>) call("batch", Map.of("requests", reqs)).get("results");
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      Map<String, Object> r = (Map<String, Object>) results.get(i);
      if (r.containsKey("error")) {
        throw new PeerException(
            "batch request " + i + " " + requests.get(i).get("cmd") + ": " + r.get("error")
                + "\n" + r.get("stack") + stderr());
      }
      out.add(r);
    }
    return out;
  }

  /** A request map for {@link #batch}. */
  public static Map<String, Object> request(String cmd, Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cmd", cmd);
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  // ------------------------------------------------------------------ typed commands

  /** Creates (or replaces) a Yjs doc; roots are defined up front (name -> type). */
  public void newDoc(String doc, long clientId, boolean gc, Map<String, RootType> roots) {
    call("newDoc", newDocArgs(doc, clientId, gc, roots));
  }

  static Map<String, Object> newDocArgs(String doc, long clientId, boolean gc, Map<String, RootType> roots) {
    Map<String, Object> r = new LinkedHashMap<>();
    roots.forEach((k, v) -> r.put(k, v.wire()));
    return Map.of("doc", doc, "clientId", (double) clientId, "gc", gc, "roots", r);
  }

  public void applyUpdate(String doc, byte[] update, int version) {
    call("applyUpdate", Map.of("doc", doc, "update", b64(update), "v", (double) version));
  }

  /** {@code encodeStateAsUpdate[V2](doc, sv)}; sv may be null. */
  public byte[] encodeState(String doc, byte[] sv, int version) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("doc", doc);
    if (sv != null) {
      args.put("sv", b64(sv));
    }
    args.put("v", (double) version);
    return unb64(call("encodeState", args).get("update"));
  }

  public byte[] stateVector(String doc) {
    return unb64(call("stateVector", Map.of("doc", doc)).get("sv"));
  }

  /** {@code {root: toJSON()}} in the Java model of {@link Values}. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> toJson(String doc) {
    return (Map<String, Object>) Values.fromWire(call("toJSON", Map.of("doc", doc)).get("json"));
  }

  /** The raw wire form of toJSON (tags intact). */
  public Object toJsonWire(String doc) {
    return call("toJSON", Map.of("doc", doc)).get("json");
  }

  public Map<String, Shape> shape(String doc) {
    return Shape.docFromWire(call("shape", Map.of("doc", doc)).get("shape"));
  }

  /** Applies an op in one transaction; returns the emitted updates. */
  public Emitted op(String doc, Op op) {
    return emitted(call("op", Map.of("doc", doc, "op", op.toWire())));
  }

  @SuppressWarnings("unchecked")
  static Emitted emitted(Map<String, Object> res) {
    List<byte[]> v1 = new ArrayList<>();
    List<byte[]> v2 = new ArrayList<>();
    for (Object s : (List<Object>) res.get("v1")) {
      v1.add(unb64(s));
    }
    for (Object s : (List<Object>) res.get("v2")) {
      v2.add(unb64(s));
    }
    return new Emitted(v1, v2);
  }

  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> textDelta(String doc, Target target) {
    Object delta = call("textDelta", Map.of("doc", doc, "target", target.toWire())).get("delta");
    return (List<Map<String, Object>>) Values.fromWire(delta);
  }

  public String xmlString(String doc, Target target) {
    return (String) call("xmlString", Map.of("doc", doc, "target", target.toWire())).get("xml");
  }

  /** A readable decoding of an update ({@code Y.decodeUpdate}): structs and delete set. */
  public Object decodeUpdate(byte[] update, int version) {
    return decodeUpdate(update, version, false);
  }

  /**
   * As {@link #decodeUpdate(byte[], int)}; canonical merges adjacent structs that Yjs could have
   * merged (GC runs, string/deleted/any item runs), so encodings of the same document that only
   * differ in struct splitting compare equal.
   */
  public Object decodeUpdate(byte[] update, int version, boolean canonical) {
    Map<String, Object> res = call("decodeUpdate", Map.of("update", b64(update), "v", (double) version, "canonical", canonical));
    res.remove("id");
    res.remove("ok");
    return res;
  }

  public void destroy(String doc) {
    call("destroy", Map.of("doc", doc));
  }

  // ------------------------------------------------------------------ plumbing

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static byte[] unb64(Object s) {
    return Base64.getDecoder().decode((String) s);
  }

  @SuppressWarnings("unchecked")
  private void readStdout() {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Map<String, Object> res;
        try {
          res = (Map<String, Object>) Json.parse(line);
        } catch (RuntimeException e) {
          noteStderr("[java] unparseable peer output: " + line);
          continue;
        }
        Object id = res.get("id");
        CompletableFuture<Map<String, Object>> f =
            id instanceof Double d ? pending.remove(d.longValue()) : null;
        if (f == null) {
          noteStderr("[java] peer response without a waiting request: " + line);
          continue;
        }
        if (res.containsKey("error")) {
          f.completeExceptionally(
              new PeerException("peer error: " + res.get("error") + "\n" + res.get("stack") + stderr()));
        } else {
          f.complete(res);
        }
      }
    } catch (IOException e) {
      noteStderr("[java] reading peer stdout failed: " + e);
    }
    die("peer stdout closed");
  }

  private void readStderr() {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        noteStderr(line);
      }
    } catch (IOException e) {
      // process gone
    }
  }

  private void noteStderr(String line) {
    synchronized (stderrTail) {
      stderrTail.addLast(line);
      while (stderrTail.size() > 200) {
        stderrTail.removeFirst();
      }
    }
  }

  /** The captured tail of the peer's stderr, formatted for failure messages. */
  public String stderr() {
    synchronized (stderrTail) {
      if (stderrTail.isEmpty()) {
        return "";
      }
      return "\n--- peer stderr (tail) ---\n" + String.join("\n", stderrTail);
    }
  }

  private void die(String reason) {
    if (deathReason == null) {
      deathReason = reason + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")");
    }
    PeerException e = new PeerException("peer died: " + deathReason + stderr());
    for (Long id : List.copyOf(pending.keySet())) {
      CompletableFuture<Map<String, Object>> f = pending.remove(id);
      if (f != null) {
        f.completeExceptionally(e);
      }
    }
  }

  private void kill(String reason) {
    deathReason = reason;
    process.destroyForcibly();
  }

  public boolean isAlive() {
    return process.isAlive() && deathReason == null;
  }

  /** Asks the peer to exit, then makes sure it is gone. Idempotent. */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        if (deathReason == null) {
          send("exit", Map.of()).get(5, TimeUnit.SECONDS);
        }
      } catch (Exception e) {
        // fall through to destroy
      }
      try {
        stdin.close();
      } catch (IOException e) {
        // ignore
      }
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    deathReason = deathReason == null ? "closed" : deathReason;
  }

  /** A failed, timed-out or dead peer request. */
  public static final class PeerException extends RuntimeException {
    PeerException(String message) {
      super(message);
    }

    PeerException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
