package dev.tandem.crdt.traces;

import java.util.List;
import java.util.Map;

/**
 * A concurrent editing trace (editing-traces {@code concurrent/NAME.json.gz}, format of
 * josephg/editing-traces {@code concurrent_traces/README.md}).
 *
 * <p>Each txn was made by {@code agent} on the document state after merging the txns named in
 * {@code parents} (indexes of earlier txns; empty only for the first txn, whose start state is
 * ""), then applying {@code patches} in sequence. Positions are Unicode code points relative to
 * that state; they equal UTF-16 positions when {@link #bmpOnly()} (true for every trace shipped
 * so far), else convert each patch against the agent document's current text with {@link
 * EditingTrace#toUtf16}. Every agent's txns are totally ordered, no two agents insert
 * concurrently at the same place, and the last txn (which may have no patches) causally follows
 * all others, so every correct text CRDT ends at {@code endContent}. See {@link ConcurrentReplay}
 * for the replay algorithm.
 */
public record ConcurrentTrace(String name, String endContent, int numAgents, List<Txn> txns, boolean bmpOnly) {

  /** One transaction: {@code parents} are txn indexes, patches in code points. */
  public record Txn(int agent, int[] parents, List<Patch> patches) {}

  public static List<String> names() {
    return TraceFiles.names("concurrent");
  }

  @SuppressWarnings("unchecked")
  public static ConcurrentTrace load(String name) {
    Map<String, Object> json = TraceFiles.read("concurrent", name);
    List<Object> raw = (List<Object>) json.get("txns");
    Txn[] txns = new Txn[raw.size()];
    boolean bmp = true;
    int numAgents = TraceFiles.num(json.get("numAgents"));
    for (int i = 0; i < txns.length; i++) {
      Map<String, Object> t = (Map<String, Object>) raw.get(i);
      List<Object> ps = (List<Object>) t.get("parents");
      int[] parents = new int[ps.size()];
      for (int k = 0; k < parents.length; k++) {
        parents[k] = TraceFiles.num(ps.get(k));
        if (parents[k] < 0 || parents[k] >= i) {
          throw new IllegalStateException(name + ": txn " + i + " has parent " + parents[k] + " not before it");
        }
      }
      if (parents.length == 0 && i != 0) {
        throw new IllegalStateException(name + ": txn " + i + " has no parents");
      }
      int agent = TraceFiles.num(t.get("agent"));
      if (agent < 0 || agent >= numAgents) {
        throw new IllegalStateException(name + ": txn " + i + " agent " + agent);
      }
      List<Patch> patches = TraceFiles.patches(t.get("patches"));
      for (Patch p : patches) {
        bmp &= !TraceFiles.hasAstral(p.ins());
      }
      txns[i] = new Txn(agent, parents, patches);
    }
    return new ConcurrentTrace(name, (String) json.get("endContent"), numAgents, List.of(txns), bmp);
  }
}
