package dev.tandem.benchmarks;

import dev.tandem.crdt.doc.Doc;
import dev.tandem.crdt.doc.YText;
import dev.tandem.crdt.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The document-model workloads of issue 3, shared by {@link DocBench} (JMH, warm) and {@link
 * DocCold} (one run in a fresh JVM). {@code benchmarks/node/bench-doc.mjs} runs the same
 * workloads in Yjs 13.6.33:
 *
 * <ul>
 *   <li>{@code local-replay}: automerge-paper typed into a Y.Text, one transaction per trace
 *       transaction, the v1 update of every transaction emitted to a listener (kept);
 *   <li>{@code apply-updates}: those 259,778 updates (the Yjs-made fixture) applied one by one
 *       to a fresh document;
 *   <li>{@code load-final}: the final v1 document update applied to a fresh document;
 *   <li>{@code encode-final}: {@code encodeStateAsUpdate} of that loaded document;
 *   <li>{@code concurrent-NAME}: a concurrent trace replayed with one document per agent that
 *       exchange v1 updates (see {@link #replayConcurrent}).
 * </ul>
 *
 * Editing traces come from the system property {@code tandem.traces.dir} (default {@code
 * ../shared/data/editing-traces}, relative to the repository root); the automerge-paper update
 * fixtures from {@link TraceFixture}.
 */
public final class DocWorkloads {
  private DocWorkloads() {}

  /** Client id the oracle used to make the automerge-paper fixtures (crdt/oracle/lib/trace.mjs). */
  static final long TRACE_CLIENT = 1;

  static Path tracesDir() {
    Path p = Path.of(System.getProperty("tandem.traces.dir", "../shared/data/editing-traces")).toAbsolutePath();
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("editing traces not found at " + p + " (system property tandem.traces.dir)");
    }
    return p;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readTrace(String sub, String name) {
    Path file = tracesDir().resolve(sub).resolve(name + ".json.gz");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
      return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trace " + file, e);
    }
  }

  /** One patch: at pos delete del units, then insert ins (UTF-16 units; the traces used are BMP only). */
  record Patch(int pos, int del, String ins) {}

  @SuppressWarnings("unchecked")
  static Patch[] patches(Object raw) {
    List<Object> l = (List<Object>) raw;
    Patch[] out = new Patch[l.size()];
    for (int i = 0; i < out.length; i++) {
      List<Object> t = (List<Object>) l.get(i);
      String ins = (String) t.get(2);
      for (int k = 0; k < ins.length(); k++) {
        if (Character.isSurrogate(ins.charAt(k))) {
          throw new IllegalStateException("benchmark traces must be BMP only");
        }
      }
      out[i] = new Patch(((Number) t.get(0)).intValue(), ((Number) t.get(1)).intValue(), ins);
    }
    return out;
  }

  /** A sequential trace: start content, end content, patches per transaction. */
  record Sequential(String start, String end, Patch[][] txns) {}

  @SuppressWarnings("unchecked")
  static Sequential sequential(String name) {
    Map<String, Object> json = readTrace("sequential", name);
    List<Object> txns = (List<Object>) json.get("txns");
    Patch[][] out = new Patch[txns.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = patches(((Map<String, Object>) txns.get(i)).get("patches"));
    }
    return new Sequential((String) json.getOrDefault("startContent", ""), (String) json.get("endContent"), out);
  }

  /** A concurrent trace (josephg/editing-traces concurrent format). */
  record Concurrent(String end, int agents, int[] agent, int[][] parents, Patch[][] patches) {}

  @SuppressWarnings("unchecked")
  static Concurrent concurrent(String name) {
    Map<String, Object> json = readTrace("concurrent", name);
    List<Object> txns = (List<Object>) json.get("txns");
    int n = txns.size();
    int[] agent = new int[n];
    int[][] parents = new int[n][];
    Patch[][] patches = new Patch[n][];
    for (int i = 0; i < n; i++) {
      Map<String, Object> t = (Map<String, Object>) txns.get(i);
      agent[i] = ((Number) t.get("agent")).intValue();
      List<Object> ps = (List<Object>) t.get("parents");
      parents[i] = new int[ps.size()];
      for (int k = 0; k < parents[i].length; k++) {
        parents[i][k] = ((Number) ps.get(k)).intValue();
      }
      patches[i] = patches(t.get("patches"));
    }
    return new Concurrent((String) json.get("endContent"), ((Number) json.get("numAgents")).intValue(), agent, parents, patches);
  }

  // ------------------------------------------------------------------ workloads

  /**
   * Types the trace into a fresh document, one transaction per trace txn, collecting every
   * emitted v1 update (Yjs: {@code doc.on('update', u => updates.push(u))}).
   */
  static Doc localReplay(Sequential trace, List<byte[]> updates) {
    Doc doc = new Doc(TRACE_CLIENT, true);
    doc.onUpdate((u, origin, tr) -> updates.add(u));
    YText text = doc.getText("text");
    if (!trace.start().isEmpty()) {
      doc.transact(tr -> text.insert(0, trace.start()));
    }
    for (Patch[] txn : trace.txns()) {
      doc.transact(
          tr -> {
            for (Patch p : txn) {
              if (p.del() > 0) {
                text.delete(p.pos(), p.del());
              }
              if (!p.ins().isEmpty()) {
                text.insert(p.pos(), p.ins());
              }
            }
          });
    }
    return doc;
  }

  static Doc applyUpdates(List<byte[]> updates) {
    Doc doc = new Doc(2, true);
    YText text = doc.getText("text");
    for (byte[] u : updates) {
      doc.applyUpdate(u);
    }
    if (text.length() == 0) {
      throw new IllegalStateException("empty");
    }
    return doc;
  }

  static Doc load(byte[] update) {
    Doc doc = new Doc(2, true);
    doc.getText("text");
    doc.applyUpdate(update);
    return doc;
  }

  /**
   * Replays a concurrent trace with one document per agent (client id agent + 1), exchanging v1
   * updates: before each txn its agent applies, in trace order, the updates of every txn in the
   * txn's causal past it does not hold yet; the txn's patches then run in one transaction whose
   * update is kept. Finally every agent catches up to the last txn. Returns the agent documents
   * (callers check their text against endContent). Same algorithm as the crdt tests'
   * ConcurrentReplay and as bench-doc.mjs.
   */
  static Doc[] replayConcurrent(Concurrent trace) {
    int n = trace.agent().length;
    int agents = trace.agents();
    Doc[] docs = new Doc[agents];
    YText[] texts = new YText[agents];
    byte[][] lastUpdate = new byte[1][];
    for (int a = 0; a < agents; a++) {
      docs[a] = new Doc(a + 1, true);
      texts[a] = docs[a].getText("text");
      docs[a].onUpdate((u, origin, tr) -> {
        if (origin == LOCAL) {
          lastUpdate[0] = u;
        }
      });
    }
    int[][] byAgent = new int[agents][n];
    int[] agentCount = new int[agents];
    int[][] version = new int[n][];
    byte[][] updates = new byte[n][];
    int[][] have = new int[agents][agents];
    for (int t = 0; t < n; t++) {
      int a = trace.agent()[t];
      int[] need = new int[agents];
      for (int p : trace.parents()[t]) {
        int[] vp = version[p];
        for (int b = 0; b < agents; b++) {
          need[b] = Math.max(need[b], vp[b]);
        }
      }
      catchUp(docs[a], have[a], need, byAgent, updates);
      Patch[] patches = trace.patches()[t];
      if (patches.length > 0) {
        YText text = texts[a];
        lastUpdate[0] = null;
        docs[a].transact(
            tr -> {
              for (Patch p : patches) {
                if (p.del() > 0) {
                  text.delete(p.pos(), p.del());
                }
                if (!p.ins().isEmpty()) {
                  text.insert(p.pos(), p.ins());
                }
              }
            },
            LOCAL);
        updates[t] = lastUpdate[0];
      }
      byAgent[a][agentCount[a]++] = t;
      need[a] = agentCount[a];
      version[t] = need;
      have[a] = need.clone();
    }
    int[] last = version[n - 1];
    for (int a = 0; a < agents; a++) {
      catchUp(docs[a], have[a], last, byAgent, updates);
    }
    return docs;
  }

  private static final Object LOCAL = new Object();

  private static void catchUp(Doc doc, int[] have, int[] need, int[][] byAgent, byte[][] updates) {
    int count = 0;
    for (int b = 0; b < have.length; b++) {
      count += need[b] - have[b];
    }
    if (count == 0) {
      return;
    }
    int[] missing = new int[count];
    int k = 0;
    for (int b = 0; b < have.length; b++) {
      if (have[b] > need[b]) {
        throw new IllegalStateException("agent holds txns outside the parents' version");
      }
      for (int i = have[b]; i < need[b]; i++) {
        missing[k++] = byAgent[b][i];
      }
    }
    java.util.Arrays.sort(missing);
    for (int m : missing) {
      if (updates[m] != null) {
        doc.applyUpdate(updates[m]);
      }
    }
    System.arraycopy(need, 0, have, 0, have.length);
  }

  static String text(Doc doc) {
    return doc.getText("text").toString();
  }

  static List<byte[]> newList() {
    return new ArrayList<>(300_000);
  }
}
