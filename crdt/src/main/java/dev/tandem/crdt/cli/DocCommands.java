package dev.tandem.crdt.cli;

import dev.tandem.crdt.doc.Doc;
import dev.tandem.crdt.doc.DocumentJson;
import dev.tandem.crdt.doc.YText;
import dev.tandem.crdt.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** The commands that need the document model: {@code json}, {@code text}, {@code trace}. */
final class DocCommands {
  private DocCommands() {}

  /** An update file read and checked, with its format. */
  record Input(String name, byte[] bytes, Format.Read read) {}

  static Doc apply(Doc doc, List<Input> inputs) {
    for (Input in : inputs) {
      if (in.read().format() == Format.V1) {
        doc.applyUpdate(in.bytes());
      } else {
        doc.applyUpdateV2(in.bytes());
      }
    }
    return doc;
  }

  /**
   * Prints the document the updates build as JSON, as the server's REST endpoint renders it
   * ({@link DocumentJson}: root types inferred from content, binary as base64, bigints as decimal
   * strings, sub-documents as {@code {"guid"}}).
   */
  static void json(List<Input> inputs, PrintStream out) {
    Doc doc = apply(new Doc(), inputs);
    try {
      out.println(DocumentJson.render(doc, DocumentJson.Format.JSON));
    } catch (DocumentJson.UnrenderableException e) {
      throw CliException.data("cannot render the document as JSON: " + e.getMessage());
    }
  }

  static void text(List<Input> inputs, String type, PrintStream out) {
    Doc doc = new Doc();
    YText text = doc.getText(type);
    apply(doc, inputs);
    out.println(text.toString());
  }

  /**
   * Replays an editing trace ({@code startContent}, {@code txns[].patches[] = [pos, del, ins]}
   * in Unicode code points, {@code endContent}) into a Y.Text named "text", one transaction
   * per txn, as the oracle's trace replay does.
   */
  @SuppressWarnings("unchecked")
  static void trace(String file, PrintStream out) {
    Map<String, Object> trace;
    try (InputStream in = open(Path.of(file))) {
      Object parsed;
      try {
        parsed = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (dev.tandem.crdt.MalformedDataException e) {
        throw CliException.data(file + ": not an editing trace: " + e.getMessage());
      }
      if (!(parsed instanceof Map<?, ?> m) || !(m.get("txns") instanceof List<?>)) {
        throw CliException.data(file + ": not an editing trace (no txns array)");
      }
      trace = (Map<String, Object>) parsed;
    } catch (IOException e) {
      throw CliException.data("cannot read " + file + ": " + e.getMessage());
    }
    List<Object> txns = (List<Object>) trace.get("txns");
    String start = trace.get("startContent") instanceof String s ? s : "";
    long t0 = System.nanoTime();
    Doc doc = new Doc(1, true);
    YText text = doc.getText("text");
    if (!start.isEmpty()) {
      doc.transact(tr -> text.insert(0, start));
    }
    // positions are code points; they equal UTF-16 indexes until an astral character appears,
    // from then on a mirror string converts them
    StringBuilder mirror = hasAstral(start) ? new StringBuilder(start) : null;
    long patches = 0;
    try {
      for (Object txnObj : txns) {
        List<Object> ps = (List<Object>) ((Map<String, Object>) txnObj).get("patches");
        StringBuilder[] m = {mirror};
        doc.transact(
            tr -> {
              for (Object po : ps) {
                List<Object> p = (List<Object>) po;
                int pos = ((Number) p.get(0)).intValue();
                int del = ((Number) p.get(1)).intValue();
                String ins = (String) p.get(2);
                if (m[0] == null && hasAstral(ins)) {
                  m[0] = new StringBuilder(text.toString());
                }
                if (m[0] != null) {
                  String cur = m[0].toString();
                  int from = cur.offsetByCodePoints(0, pos);
                  int to = cur.offsetByCodePoints(from, del);
                  pos = from;
                  del = to - from;
                  m[0].delete(pos, pos + del).insert(pos, ins);
                }
                if (del > 0) {
                  text.delete(pos, del);
                }
                if (!ins.isEmpty()) {
                  text.insert(pos, ins);
                }
              }
            });
        mirror = m[0];
        patches += ps.size();
      }
    } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
      throw CliException.data(file + ": malformed patch in trace: " + e.getMessage());
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    String result = text.toString();
    String hash = sha256(result);
    Object end = trace.get("endContent");
    out.println("transactions: " + txns.size() + ", patches: " + patches);
    out.println("final length: " + result.length() + " UTF-16 units, " + result.codePointCount(0, result.length()) + " code points");
    out.println("sha256 (UTF-8): " + hash);
    out.println("time: " + ms + " ms");
    if (end instanceof String e) {
      out.println("endContent: " + (e.equals(result) ? "matches" : "DIFFERS"));
      if (!e.equals(result)) {
        throw CliException.data(file + ": replay does not end at endContent");
      }
    }
  }

  private static InputStream open(Path p) throws IOException {
    InputStream raw = Files.newInputStream(p);
    if (p.toString().endsWith(".gz")) {
      return new GZIPInputStream(raw);
    }
    return raw;
  }

  private static boolean hasAstral(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
