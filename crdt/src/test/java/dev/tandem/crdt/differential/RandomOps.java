package dev.tandem.crdt.differential;

import dev.tandem.crdt.lib0.Undefined;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A seeded generator of valid {@link Op}s over the vocabulary of OPS.md, given a document's
 * {@link Shape}. Share one instance between the documents of a test: it remembers recent insert
 * positions per target and reuses them ({@link Options#hotPosition}), so documents editing
 * between syncs insert concurrently at the same index.
 *
 * <p>Text: BMP and astral characters (emoji, surrogate pairs) always; lone (low) surrogates in
 * text inserts ({@link Options#loneSurrogates}), never next to another surrogate at insertion
 * time, never lone high surrogates (Yjs 13.6.33 diverges: see {@link #loneSurrogateText});
 * inserts and deletes may split a surrogate pair ({@link Options#splitPairs}; Yjs then replaces
 * both halves with U+FFFD), but format edges never do (Yjs 13.6.33 diverges there). Values: every
 * lib0 {@code any} kind (null, booleans, integers, floats incl. NaN/±Infinity/-0, strings,
 * bigint, Uint8Array, undefined, arrays, objects incl. a "$t" key), except where Yjs rejects them
 * (no top-level bigint or undefined in array inserts), and new nested types and subdocuments.
 */
public final class RandomOps {

  /**
   * Default roots; give the same map to every driver of a test. Iteration order is fixed (not
   * {@code Map.of}, whose order is salted per JVM): it is the order the peer defines the roots
   * in, hence the order of {@code shape} and of the generator's target list.
   */
  public static final Map<String, RootType> DEFAULT_ROOTS = defaultRoots();

  private static Map<String, RootType> defaultRoots() {
    Map<String, RootType> m = new LinkedHashMap<>();
    m.put("text", RootType.TEXT);
    m.put("array", RootType.ARRAY);
    m.put("map", RootType.MAP);
    m.put("xml", RootType.XML_FRAGMENT);
    return Collections.unmodifiableMap(m);
  }

  /**
   * Tuning knobs (probabilities in [0, 1]).
   *
   * @param maxDepth how many path steps below a root ops may reach
   * @param nestedTypes probability that an inserted/set value is a new shared type
   * @param subdocs probability that an inserted/set value is a subdocument
   * @param loneSurrogates probability that a text insert carries a lone (low) surrogate
   * @param splitPairs whether insert/delete positions may fall inside a surrogate pair
   * @param hotPosition probability of inserting at the target's last insert position
   * @param xml whether to create nested XML types (XML roots are edited regardless)
   */
  public record Options(
      int maxDepth,
      double nestedTypes,
      double subdocs,
      double loneSurrogates,
      boolean splitPairs,
      double hotPosition,
      boolean xml) {
    public static Options defaults() {
      return new Options(3, 0.15, 0.03, 0.05, true, 0.35, true);
    }
  }

  private static final String[] WORDS = {
    "a", "b", "hello", " ", "\n", "é", "中文", "ß", "😀", "👍🏽", "a😀b", "𝄞", "x\u0301", "\t", "𐐷"
  };
  private static final String[] KEYS = {
    "a", "b", "c", "key", "", "1", "10", "01", "😀", "$t", "k é", "-1", "constructor"
  };
  // Yjs dispatches on value.constructor, so an object with an own "constructor" property is
  // rejected by map.set / array.insert ("Unexpected content type"): not as object keys
  private static final String[] OBJECT_KEYS = {
    "a", "b", "c", "key", "", "1", "10", "01", "😀", "$t", "k é", "-1"
  };
  private static final String[] ATTR_NAMES = {"bold", "italic", "color", "href", "size"};
  private static final String[] NODE_NAMES = {"p", "div", "span", "h1", "UNDEFINED", "li"};

  private final Random rnd;
  private final Options options;
  private final Map<String, Integer> hot = new HashMap<>();
  private int subdocCounter;
  private final long seed;

  public RandomOps(long seed) {
    this(seed, Options.defaults());
  }

  public RandomOps(long seed, Options options) {
    this.seed = seed;
    this.rnd = new Random(seed);
    this.options = options;
  }

  /** The generator's random source (use it for schedules too, to stay reproducible by seed). */
  public Random random() {
    return rnd;
  }

  public long seed() {
    return seed;
  }

  /** A random op valid for a document with the given shape (root name to shape). */
  public Op next(Map<String, Shape> docShape) {
    List<Target> targets = new ArrayList<>();
    List<Shape> shapes = new ArrayList<>();
    // roots by name: the op stream must not depend on the iteration order of the caller's map
    for (Map.Entry<String, Shape> e : new TreeMap<>(docShape).entrySet()) {
      RootType rt = rootType(e.getValue());
      if (rt == null) {
        continue;
      }
      collect(Target.root(e.getKey(), rt), e.getValue(), 0, targets, shapes);
    }
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("no editable roots in " + docShape);
    }
    // favour roots a bit so the tree does not only grow at the leaves
    int i = rnd.nextInt(targets.size());
    if (rnd.nextInt(3) == 0) {
      i = rnd.nextInt(targets.size());
      while (i > 0 && !targets.get(i).path().isEmpty()) {
        i--;
      }
    }
    Target t = targets.get(i);
    Shape s = shapes.get(i);
    if (s instanceof Shape.Text text) {
      return textOp(t, text.content());
    } else if (s instanceof Shape.Array a) {
      return arrayOp(t, a, t.path().size());
    } else if (s instanceof Shape.MapShape m) {
      return mapOp(t, m, t.path().size());
    } else if (s instanceof Shape.Xml x) {
      return xmlOp(t, x);
    }
    throw new IllegalStateException("unexpected shape " + s);
  }

  private static RootType rootType(Shape s) {
    if (s instanceof Shape.Text t && !t.xml()) {
      return RootType.TEXT;
    } else if (s instanceof Shape.Array) {
      return RootType.ARRAY;
    } else if (s instanceof Shape.MapShape) {
      return RootType.MAP;
    } else if (s instanceof Shape.Xml x && x.nodeName() == null) {
      return RootType.XML_FRAGMENT;
    }
    return null;
  }

  private void collect(Target t, Shape s, int depth, List<Target> targets, List<Shape> shapes) {
    if (s == null || s instanceof Shape.Untyped) {
      return;
    }
    targets.add(t);
    shapes.add(s);
    if (depth >= options.maxDepth()) {
      return;
    }
    if (s instanceof Shape.Array a) {
      for (int i = 0; i < a.items().size(); i++) {
        collect(t.then(i), a.items().get(i), depth + 1, targets, shapes);
      }
    } else if (s instanceof Shape.MapShape m) {
      for (Map.Entry<String, Shape> e : m.entries().entrySet()) {
        collect(t.then(e.getKey()), e.getValue(), depth + 1, targets, shapes);
      }
    } else if (s instanceof Shape.Xml x) {
      for (int i = 0; i < x.children().size(); i++) {
        collect(t.then(i), x.children().get(i), depth + 1, targets, shapes);
      }
    }
  }

  // ------------------------------------------------------------------ text

  private Op textOp(Target t, String s) {
    int len = s.length();
    int r = rnd.nextInt(100);
    if (len == 0 || r < 45) {
      boolean lone = rnd.nextDouble() < options.loneSurrogates();
      int index = insertIndex(t, len, s);
      String text = lone ? loneSurrogateText(s, index) : randomText();
      if (lone && text == null) {
        text = randomText();
      }
      remember(t, index + text.length());
      return new Op.TextInsert(t, index, text, rnd.nextInt(3) == 0 ? randomAttrs(false) : null);
    }
    if (r < 50) {
      int index = insertIndex(t, len, s);
      remember(t, index + 1);
      return new Op.TextInsertEmbed(t, index, randomEmbed(), rnd.nextBoolean() ? randomAttrs(false) : null);
    }
    if (r < 75) {
      int index = rnd.nextInt(len);
      int length = Math.min(len - index, 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 20 : 4));
      if (!options.splitPairs()) {
        index = outsidePair(s, index, false);
        int end = outsidePair(s, index + length, true);
        length = end - index;
      }
      return new Op.TextDelete(t, index, length);
    }
    int start = outsidePair(s, rnd.nextInt(len), false);
    int end = outsidePair(s, Math.min(len, start + 1 + rnd.nextInt(8)), true);
    return new Op.TextFormat(t, start, end - start, randomAttrs(true));
  }

  /** Moves a position off the middle of a surrogate pair (back, or forward when {@code up}). */
  private static int outsidePair(String s, int pos, boolean up) {
    if (pos > 0 && pos < s.length()
        && Character.isHighSurrogate(s.charAt(pos - 1))
        && Character.isLowSurrogate(s.charAt(pos))) {
      return up ? pos + 1 : pos - 1;
    }
    return pos;
  }

  private int insertIndex(Target t, int len, String s) {
    int index;
    Integer h = hot.get(t.toString());
    if (h != null && rnd.nextDouble() < options.hotPosition()) {
      index = Math.min(h, len);
    } else {
      index = rnd.nextInt(len + 1);
    }
    if (s != null && (!options.splitPairs() || rnd.nextInt(4) != 0)) {
      index = outsidePair(s, index, false);
    }
    return index;
  }

  private void remember(Target t, int index) {
    hot.put(t.toString(), index);
  }

  private String randomText() {
    StringBuilder sb = new StringBuilder();
    int n = 1 + rnd.nextInt(rnd.nextInt(5) == 0 ? 6 : 2);
    for (int i = 0; i < n; i++) {
      sb.append(WORDS[rnd.nextInt(WORDS.length)]);
    }
    return sb.toString();
  }

  /** Text holding one lone surrogate, or null when the insertion point borders a surrogate. */
  private String loneSurrogateText(String s, int index) {
    if (index > 0 && Character.isSurrogate(s.charAt(index - 1))) {
      return null;
    }
    if (index < s.length() && Character.isSurrogate(s.charAt(index))) {
      return null;
    }
    // low surrogates only: Yjs 13.6.33 ContentString.splice treats a high surrogate at a split
    // point as the start of a pair and replaces it AND the next character with U+FFFD. Only
    // the inserting doc still holds the lone high surrogate (its peers decoded U+FFFD from
    // UTF-8), so a later split right after it (any insert there, local or remote, or a
    // delete/format edge) destroys the following character in that doc alone: a genuine Yjs
    // divergence, not a harness artefact (x\uD800y + insert "Z" at 2 -> x\uFFFDZ\uFFFD in
    // the inserter, x\uFFFDZy in its peers). A lone low surrogate never triggers the rule.
    char lone = (char) (0xDC00 + rnd.nextInt(0x400));
    return switch (rnd.nextInt(3)) {
      case 0 -> String.valueOf(lone);
      case 1 -> "x" + lone;
      default -> "x" + lone + "y";
    };
  }

  private Map<String, Object> randomAttrs(boolean allowNull) {
    Map<String, Object> m = new LinkedHashMap<>();
    int n = 1 + rnd.nextInt(2);
    for (int i = 0; i < n; i++) {
      String name = ATTR_NAMES[rnd.nextInt(ATTR_NAMES.length)];
      Object v;
      if (allowNull && rnd.nextInt(4) == 0) {
        v = null;
      } else {
        v = switch (name) {
          case "bold", "italic" -> Boolean.TRUE;
          case "color" -> rnd.nextBoolean() ? "#f00" : "blue";
          case "href" -> Map.of("url", "https://x/" + rnd.nextInt(3));
          default -> (double) (8 + rnd.nextInt(3));
        };
      }
      m.put(name, v);
    }
    return m;
  }

  private Map<String, Object> randomEmbed() {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (rnd.nextInt(3)) {
      case 0 -> m.put("image", "https://img/" + rnd.nextInt(10) + ".png");
      case 1 -> m.put("formula", "e=mc^2");
      default -> {
        m.put("mention", (double) rnd.nextInt(100));
        m.put("nested", List.of(true, 1.5));
      }
    }
    return m;
  }

  // ------------------------------------------------------------------ array

  private Op arrayOp(Target t, Shape.Array a, int depth) {
    int len = a.items().size();
    int r = rnd.nextInt(100);
    if (len == 0 || r < 45) {
      int index = insertIndex(t, len, null);
      List<Object> values = values(depth);
      remember(t, index + values.size());
      return new Op.ArrayInsert(t, index, values);
    }
    if (r < 60) {
      return new Op.ArrayPush(t, values(depth));
    }
    int index = rnd.nextInt(len);
    return new Op.ArrayDelete(t, index, Math.min(len - index, 1 + rnd.nextInt(3)));
  }

  private List<Object> values(int depth) {
    List<Object> out = new ArrayList<>();
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      out.add(value(depth, true));
    }
    return out;
  }

  /** A value for array insert / map set: a new type, a subdoc or a lib0 any value. */
  private Object value(int depth, boolean arrayTopLevel) {
    double r = rnd.nextDouble();
    if (depth < options.maxDepth() && r < options.nestedTypes()) {
      return newType(depth);
    }
    if (r < options.nestedTypes() + options.subdocs()) {
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("n", (double) subdocCounter);
      return new Op.SubDoc("subdoc-" + seed + "-" + subdocCounter++, rnd.nextBoolean() ? meta : null);
    }
    return any(0, arrayTopLevel);
  }

  private Op.NewType newType(int depth) {
    int kinds = options.xml() ? 6 : 3;
    return switch (rnd.nextInt(kinds)) {
      case 0 -> Op.NewType.text(rnd.nextBoolean() ? randomText() : null);
      case 1 -> {
        List<Object> init = null;
        if (rnd.nextBoolean()) {
          init = new ArrayList<>();
          int n = rnd.nextInt(3);
          for (int i = 0; i < n; i++) {
            init.add(depth + 1 < options.maxDepth() && rnd.nextInt(4) == 0 ? newType(depth + 1) : any(1, true));
          }
        }
        yield Op.NewType.array(init);
      }
      case 2 -> {
        Map<String, Object> init = null;
        if (rnd.nextBoolean()) {
          init = new LinkedHashMap<>();
          int n = rnd.nextInt(3);
          for (int i = 0; i < n; i++) {
            init.put(KEYS[rnd.nextInt(KEYS.length)],
                depth + 1 < options.maxDepth() && rnd.nextInt(4) == 0 ? newType(depth + 1) : any(1, false));
          }
        }
        yield Op.NewType.map(init);
      }
      case 3 -> Op.NewType.xmlElement(NODE_NAMES[rnd.nextInt(NODE_NAMES.length)], xmlAttrs());
      case 4 -> Op.NewType.xmlText(rnd.nextBoolean() ? randomText() : null);
      default -> Op.NewType.xmlFragment();
    };
  }

  /**
   * A lib0 {@code any} value. At the top level of an array insert Yjs rejects bigint and
   * undefined ("Unexpected content type"), so those appear only nested or as map values.
   */
  public Object any(int depth, boolean arrayTopLevel) {
    int kinds = depth >= 3 ? 11 : 13;
    while (true) {
      switch (rnd.nextInt(kinds)) {
        case 0:
          return null;
        case 1:
          return rnd.nextBoolean();
        case 2:
          return (double) (rnd.nextInt(2001) - 1000);
        case 3:
          return switch (rnd.nextInt(8)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.NEGATIVE_INFINITY;
            case 3 -> -0.0;
            case 4 -> (double) (1L << 53) - rnd.nextInt(3);
            case 5 -> (double) (1L << 31) + rnd.nextInt(3) - 1;
            case 6 -> 0.1 + rnd.nextInt(100);
            default -> rnd.nextGaussian() * 1e6;
          };
        case 4:
        case 5:
          return randomText();
        case 6:
          if (arrayTopLevel) {
            continue;
          }
          return BigInteger.valueOf(rnd.nextLong() >> rnd.nextInt(64));
        case 7: {
          byte[] b = new byte[rnd.nextInt(6)];
          rnd.nextBytes(b);
          return b;
        }
        case 8:
          if (arrayTopLevel) {
            continue;
          }
          return Undefined.INSTANCE;
        case 9:
        case 10:
          return (double) rnd.nextInt(10);
        case 11: {
          List<Object> l = new ArrayList<>();
          int n = rnd.nextInt(4);
          for (int i = 0; i < n; i++) {
            l.add(any(depth + 1, false));
          }
          return l;
        }
        default: {
          Map<String, Object> m = new LinkedHashMap<>();
          int n = rnd.nextInt(4);
          for (int i = 0; i < n; i++) {
            m.put(OBJECT_KEYS[rnd.nextInt(OBJECT_KEYS.length)], any(depth + 1, false));
          }
          return m;
        }
      }
    }
  }

  // ------------------------------------------------------------------ map

  private Op mapOp(Target t, Shape.MapShape m, int depth) {
    if (!m.entries().isEmpty() && rnd.nextInt(4) == 0) {
      List<String> keys = new ArrayList<>(m.entries().keySet());
      return new Op.MapDelete(t, keys.get(rnd.nextInt(keys.size())));
    }
    return new Op.MapSet(t, KEYS[rnd.nextInt(KEYS.length)], value(depth, false));
  }

  // ------------------------------------------------------------------ xml

  private Map<String, String> xmlAttrs() {
    Map<String, String> m = new LinkedHashMap<>();
    int n = rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      m.put(ATTR_NAMES[rnd.nextInt(ATTR_NAMES.length)], "v" + rnd.nextInt(5));
    }
    return m;
  }

  private Op xmlOp(Target t, Shape.Xml x) {
    int len = x.children().size();
    boolean element = x.nodeName() != null;
    int r = rnd.nextInt(100);
    if (element && r < 15) {
      return new Op.XmlSetAttribute(t, ATTR_NAMES[rnd.nextInt(ATTR_NAMES.length)], "v" + rnd.nextInt(5));
    }
    if (element && r < 22 && !x.attrs().isEmpty()) {
      return new Op.XmlRemoveAttribute(t, x.attrs().get(rnd.nextInt(x.attrs().size())));
    }
    if (len == 0 || r < 55) {
      int index = insertIndex(t, len, null);
      remember(t, index + 1);
      return new Op.XmlInsertElement(t, index, NODE_NAMES[rnd.nextInt(NODE_NAMES.length)], xmlAttrs());
    }
    if (r < 80) {
      int index = insertIndex(t, len, null);
      remember(t, index + 1);
      return new Op.XmlInsertText(t, index, rnd.nextBoolean() ? randomText() : null);
    }
    int index = rnd.nextInt(len);
    return new Op.XmlDelete(t, index, Math.min(len - index, 1 + rnd.nextInt(2)));
  }
}
