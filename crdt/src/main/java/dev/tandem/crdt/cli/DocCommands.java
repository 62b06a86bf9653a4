package dev.tandem.crdt.cli;

import dev.tandem.crdt.doc.Doc;
import dev.tandem.crdt.doc.Subdoc;
import dev.tandem.crdt.doc.YText;
import dev.tandem.crdt.json.Json;
import dev.tandem.crdt.struct.AbstractStruct;
import dev.tandem.crdt.struct.Content;
import dev.tandem.crdt.struct.ContentEmbed;
import dev.tandem.crdt.struct.ContentFormat;
import dev.tandem.crdt.struct.ContentString;
import dev.tandem.crdt.struct.ContentType;
import dev.tandem.crdt.struct.Item;
import dev.tandem.crdt.update.ClientStructs;
import dev.tandem.crdt.update.DecodedUpdate;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** The commands that need the document model: {@code json}, {@code text}, {@code trace}. */
final class DocCommands {
  enum RootKind {
    TEXT,
    ARRAY,
    MAP,
    XML_FRAGMENT
  }

  private DocCommands() {}

  /** An update file read and checked, with its format. */
  record Input(String name, byte[] bytes, Format.Read read) {}

  /**
   * The kind of each root type the updates mention, in first-mention order. An update does not
   * say which shared type a root is (the application decides by calling {@code getText},
   * {@code getMap}, ...), so it is inferred from the root's direct content: keyed entries make a
   * Map, strings / formats / embeds a Text, XML nodes an XmlFragment, anything else an Array
   * (also a root whose content is all deleted).
   */
  static Map<String, RootKind> inferRoots(List<Input> inputs) {
    // every item, by client and start clock, to find the item an origin points into
    Map<Long, java.util.TreeMap<Long, Item>> items = new java.util.HashMap<>();
    Map<Item, String> rootOf = new java.util.IdentityHashMap<>();
    List<Item> unresolved = new java.util.ArrayList<>();
    Map<String, RootKind> roots = new LinkedHashMap<>();
    for (Input in : inputs) {
      for (ClientStructs cs : in.read().update().clients()) {
        for (AbstractStruct s : cs.structs()) {
          if (s instanceof Item it) {
            items.computeIfAbsent(cs.client(), c -> new java.util.TreeMap<>()).put(it.id().clock(), it);
            if (it.parentKey() != null) {
              rootOf.put(it, it.parentKey());
              roots.putIfAbsent(it.parentKey(), RootKind.ARRAY);
            } else if (it.parentId() == null) {
              unresolved.add(it); // parent inherited from its origin at integration
            }
          }
        }
      }
    }
    // items whose parent comes from an origin belong to the origin's parent; resolve in passes
    boolean changed = true;
    while (changed && !unresolved.isEmpty()) {
      changed = false;
      for (java.util.Iterator<Item> i = unresolved.iterator(); i.hasNext(); ) {
        Item it = i.next();
        Item from = find(items, it.origin());
        if (from == null) {
          from = find(items, it.rightOrigin());
        }
        if (from != null) {
          if (from.parentId() != null || rootOf.containsKey(from)) {
            if (rootOf.containsKey(from)) {
              rootOf.put(it, rootOf.get(from));
            }
            i.remove();
            changed = true;
          }
        }
      }
    }
    Map<String, Integer> strength = new java.util.HashMap<>();
    for (Map.Entry<Item, String> e : rootOf.entrySet()) {
      int rank = rank(e.getKey());
      if (rank > strength.getOrDefault(e.getValue(), 0)) {
        strength.put(e.getValue(), rank);
        roots.put(e.getValue(), KIND_BY_RANK[rank]);
      }
    }
    return roots;
  }

  private static Item find(Map<Long, java.util.TreeMap<Long, Item>> items, dev.tandem.crdt.struct.ID id) {
    if (id == null || !items.containsKey(id.client())) {
      return null;
    }
    Map.Entry<Long, Item> e = items.get(id.client()).floorEntry(id.clock());
    return e != null && id.clock() < e.getValue().endClock() ? e.getValue() : null;
  }

  private static final RootKind[] KIND_BY_RANK = {
    RootKind.ARRAY, RootKind.XML_FRAGMENT, RootKind.ARRAY, RootKind.TEXT, RootKind.MAP
  };

  /**
   * How strongly an item of a root says what the root is: 4 keyed entry (Map), 3 string /
   * format / embed (Text), 2 plain values, binary, JSON or a sub-document (only an Array holds
   * those), 1 an XmlElement or XmlText (an XmlFragment, though an Array may hold them too),
   * 0 nothing (nested types and hooks fit in any list, deleted content says nothing).
   */
  private static int rank(Item it) {
    if (it.parentSub() != null) {
      return 4;
    }
    Content c = it.content();
    if (c instanceof ContentString || c instanceof ContentFormat || c instanceof ContentEmbed) {
      return 3;
    }
    if (c instanceof dev.tandem.crdt.struct.ContentAny
        || c instanceof dev.tandem.crdt.struct.ContentBinary
        || c instanceof dev.tandem.crdt.struct.ContentJson
        || c instanceof dev.tandem.crdt.struct.ContentDoc) {
      return 2;
    }
    if (c instanceof ContentType t
        && (t.typeRef() == ContentType.Y_XML_ELEMENT || t.typeRef() == ContentType.Y_XML_TEXT)) {
      return 1;
    }
    return 0;
  }

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

  static void json(List<Input> inputs, PrintStream out) {
    Doc doc = new Doc();
    inferRoots(inputs)
        .forEach(
            (name, kind) -> {
              switch (kind) {
                case TEXT -> doc.getText(name);
                case MAP -> doc.getMap(name);
                case XML_FRAGMENT -> doc.getXmlFragment(name);
                default -> doc.getArray(name);
              }
            });
    apply(doc, inputs);
    out.println(Json.stringify(jsonSafe(doc.toJSON())));
  }

  /**
   * The value with every bigint (which {@code JSON.stringify} rejects) replaced by the string of
   * its digits followed by {@code n}, e.g. {@code "123n"}.
   */
  static Object jsonSafe(Object v) {
    if (v instanceof java.math.BigInteger b) {
      return b + "n";
    }
    if (v instanceof Subdoc d) {
      // JSON.stringify would print an unloaded sub-document as {}; its identity is more useful
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("guid", d.guid());
      out.put("meta", jsonSafe(d.meta()));
      out.put("autoLoad", d.autoLoad());
      out.put("shouldLoad", d.shouldLoad());
      return out;
    }
    if (v instanceof List<?> list) {
      List<Object> out = new java.util.ArrayList<>(list.size());
      list.forEach(x -> out.add(jsonSafe(x)));
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, x) -> out.put(k, jsonSafe(x)));
      return out;
    }
    return v;
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
