package dev.tandem.crdt.traces;

import dev.tandem.crdt.doc.Doc;
import dev.tandem.crdt.doc.YText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A sequential editing trace (editing-traces {@code sequential/NAME.json.gz}): apply every
 * patch of every txn in order to {@code startContent} and you get {@code endContent}.
 *
 * <p>The files count positions and deletions in Unicode code points; {@link #txns()} holds them
 * converted to UTF-16 code units (what Y.Text and Java strings index by), computed by replaying
 * the trace on a plain string while loading. While the text holds no supplementary characters
 * the two coincide, so conversion only costs when astral characters exist.
 */
public record EditingTrace(String name, String startContent, String endContent, List<List<Patch>> txns) {

  /** Names of the sequential traces present (file names without {@code .json.gz}). */
  public static List<String> sequentialNames() {
    return TraceFiles.names("sequential");
  }

  /** Loads {@code sequential/NAME.json.gz} with UTF-16 positions. */
  public static EditingTrace loadSequential(String name) {
    return fromJson(name, TraceFiles.read("sequential", name));
  }

  /** Converts a parsed trace object (code-point positions) to UTF-16 positions. */
  @SuppressWarnings("unchecked")
  public static EditingTrace fromJson(String name, Map<String, Object> json) {
    String start = (String) json.getOrDefault("startContent", "");
    StringBuilder doc = new StringBuilder(start);
    boolean astral = TraceFiles.hasAstral(start);
    List<List<Patch>> txns = new ArrayList<>();
    for (Object txn : (List<Object>) json.get("txns")) {
      List<Patch> converted = new ArrayList<>();
      for (Patch p : TraceFiles.patches(((Map<String, Object>) txn).get("patches"))) {
        Patch u = astral ? toUtf16(doc, p) : p;
        doc.delete(u.pos(), u.pos() + u.del());
        doc.insert(u.pos(), u.ins());
        astral |= TraceFiles.hasAstral(u.ins());
        converted.add(u);
      }
      txns.add(List.copyOf(converted));
    }
    return new EditingTrace(name, start, (String) json.get("endContent"), List.copyOf(txns));
  }

  /** A code-point patch against {@code text} as a UTF-16 patch. */
  public static Patch toUtf16(CharSequence text, Patch p) {
    String s = text.toString();
    int pos = s.offsetByCodePoints(0, p.pos());
    int end = s.offsetByCodePoints(pos, p.del());
    return new Patch(pos, end - pos, p.ins());
  }

  public int patchCount() {
    return txns.stream().mapToInt(List::size).sum();
  }

  /**
   * Types the trace into {@code text} of {@code doc} as the oracle's trace.mjs does: the start
   * content in one transaction, then one transaction per trace txn, each patch deleting before it
   * inserts.
   */
  public void typeInto(Doc doc, YText text) {
    if (!startContent.isEmpty()) {
      doc.transact(tr -> text.insert(0, startContent));
    }
    for (List<Patch> txn : txns) {
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
  }

  /** Replays the (UTF-16) patches on a StringBuilder. */
  public String replayOnString() {
    StringBuilder sb = new StringBuilder(startContent);
    for (List<Patch> txn : txns) {
      for (Patch p : txn) {
        sb.delete(p.pos(), p.pos() + p.del());
        sb.insert(p.pos(), p.ins());
      }
    }
    return sb.toString();
  }
}
