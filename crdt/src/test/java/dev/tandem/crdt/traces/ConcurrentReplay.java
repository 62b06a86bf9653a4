package dev.tandem.crdt.traces;

import dev.tandem.crdt.differential.DocDriver;
import dev.tandem.crdt.differential.Emitted;
import dev.tandem.crdt.differential.Op;
import dev.tandem.crdt.differential.RootType;
import dev.tandem.crdt.differential.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Replays a {@link ConcurrentTrace} on CRDT documents, one document per agent, exchanging only
 * updates — so it works for Yjs (via the peer) and for the Java doc model alike.
 *
 * <h2>Algorithm</h2>
 *
 * Because each agent's txns are totally ordered, the causal past of a txn (the txn plus all its
 * transitive parents) is fully described by a version vector {@code V[t][b]} = number of agent
 * b's txns in that past ({@code V[t] = max over parents p of V[p]}, then {@code V[t][agent]++}).
 * Each agent document {@code D[a]} tracks the version vector {@code have[a]} of what it holds.
 * For txn {@code t} by agent {@code a} in trace order:
 *
 * <ol>
 *   <li>{@code need = max over parents of V[p]} — the state the txn was made on.
 *   <li>Check {@code have[a] <= need} componentwise (the agent never holds anything outside the
 *       txn's past; true because the agent's previous txn is in that past).
 *   <li>Apply to {@code D[a]}, in trace order, the update of every txn in {@code need} but not
 *       in {@code have[a]} (for each agent b, its txns number {@code have[a][b]+1 ..
 *       need[b]}). {@code D[a]} now holds exactly the merged state of the parents.
 *   <li>Apply the txn's patches as text deletes/inserts in ONE local transaction on the root
 *       text (positions converted to UTF-16 against {@code D[a]}'s text unless the trace is
 *       BMP-only), and keep the update it emitted as the txn's update.
 *   <li>{@code have[a] = need} plus this txn.
 * </ol>
 *
 * After the last txn (which follows all others) its agent's document holds the final text;
 * {@link #replay} then brings every agent document up to date the same way and returns all
 * texts, which must equal {@code endContent}.
 */
public final class ConcurrentReplay {
  private ConcurrentReplay() {}

  /** The replay result: each agent document's final text, and counts. */
  public record Result(List<String> agentTexts, int updatesApplied, long millis) {}

  /**
   * @param docForAgent creates agent a's document (give each agent a distinct client id)
   * @param root name of the root Y.Text the trace edits
   */
  public static Result replay(ConcurrentTrace trace, IntFunction<DocDriver> docForAgent, String root) {
    long start = System.nanoTime();
    int n = trace.txns().size();
    int agents = trace.numAgents();
    Target text = Target.root(root, RootType.TEXT);
    // txns of each agent in order, and each txn's sequence number within its agent
    List<List<Integer>> byAgent = new ArrayList<>();
    for (int a = 0; a < agents; a++) {
      byAgent.add(new ArrayList<>());
    }
    int[][] version = new int[n][];
    byte[][] updates = new byte[n][];
    int[][] have = new int[agents][agents];
    DocDriver[] docs = new DocDriver[agents];
    int applied = 0;
    try {
      for (int a = 0; a < agents; a++) {
        docs[a] = docForAgent.apply(a);
      }
      for (int t = 0; t < n; t++) {
        ConcurrentTrace.Txn txn = trace.txns().get(t);
        int a = txn.agent();
        int[] need = new int[agents];
        for (int p : txn.parents()) {
          for (int b = 0; b < agents; b++) {
            need[b] = Math.max(need[b], version[p][b]);
          }
        }
        applied += catchUp(docs[a], have[a], need, byAgent, updates, t);
        if (!txn.patches().isEmpty()) {
          List<Op> ops = new ArrayList<>();
          String current = trace.bmpOnly() ? null : currentText(docs[a], root);
          StringBuilder mirror = current == null ? null : new StringBuilder(current);
          for (Patch p : txn.patches()) {
            Patch u = p;
            if (mirror != null) {
              u = EditingTrace.toUtf16(mirror, p);
              mirror.delete(u.pos(), u.pos() + u.del());
              mirror.insert(u.pos(), u.ins());
            }
            if (u.del() > 0) {
              ops.add(new Op.TextDelete(text, u.pos(), u.del()));
            }
            if (!u.ins().isEmpty()) {
              ops.add(new Op.TextInsert(text, u.pos(), u.ins(), null));
            }
          }
          Emitted e = docs[a].apply(ops.size() == 1 ? ops.get(0) : new Op.Transact(ops));
          if (e.v1().size() > 1) {
            throw new IllegalStateException("txn " + t + " emitted " + e.v1().size() + " updates");
          }
          updates[t] = e.v1().isEmpty() ? null : e.v1().get(0);
        }
        byAgent.get(a).add(t);
        need[a] = byAgent.get(a).size();
        version[t] = need;
        have[a] = need.clone();
      }
      // bring everyone up to the last txn's version
      int[] last = version[n - 1];
      List<String> texts = new ArrayList<>();
      for (int a = 0; a < agents; a++) {
        applied += catchUp(docs[a], have[a], last, byAgent, updates, n);
        texts.add(currentText(docs[a], root));
      }
      return new Result(texts, applied, (System.nanoTime() - start) / 1_000_000);
    } finally {
      for (DocDriver d : docs) {
        if (d != null) {
          d.close();
        }
      }
    }
  }

  /** Applies the updates of the txns in {@code need} but not in {@code have}, in trace order. */
  private static int catchUp(
      DocDriver doc, int[] have, int[] need, List<List<Integer>> byAgent, byte[][] updates, int t) {
    List<Integer> missing = new ArrayList<>();
    for (int b = 0; b < have.length; b++) {
      if (have[b] > need[b]) {
        throw new IllegalStateException(
            "before txn " + t + ": agent doc holds " + Arrays.toString(have)
                + " beyond the parents' version " + Arrays.toString(need));
      }
      missing.addAll(byAgent.get(b).subList(have[b], need[b]));
    }
    missing.sort(null);
    int count = 0;
    for (int m : missing) {
      if (updates[m] != null) {
        doc.applyUpdate(updates[m]);
        count++;
      }
    }
    System.arraycopy(need, 0, have, 0, have.length);
    return count;
  }

  private static String currentText(DocDriver doc, String root) {
    return (String) doc.toJson().get(root);
  }
}
