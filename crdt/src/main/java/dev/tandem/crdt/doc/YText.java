package dev.tandem.crdt.doc;

import dev.tandem.crdt.lib0.Undefined;
import dev.tandem.crdt.struct.Content;
import dev.tandem.crdt.struct.ContentEmbed;
import dev.tandem.crdt.struct.ContentFormat;
import dev.tandem.crdt.struct.ContentString;
import dev.tandem.crdt.struct.ContentType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Y.Text: rich text with formatting attributes and embeds; indexes in UTF-16 code units. */
public class YText extends AbstractType {
  private List<Runnable> pending = new ArrayList<>();

  public YText() {
    searchMarker = new ArrayList<>();
  }

  /** A prelim text with initial content, inserted when the text is added to a document. */
  public YText(String initial) {
    this();
    pending.add(() -> insert(0, initial));
  }

  @Override
  int typeRef() {
    return ContentType.Y_TEXT;
  }

  @Override
  AbstractType copyEmpty() {
    return new YText();
  }

  @Override
  void integrate(Doc y, DocItem item) {
    super.integrate(y, item);
    List<Runnable> p = pending;
    pending = null;
    if (p != null) {
      for (Runnable r : p) {
        r.run();
      }
    }
  }

  @Override
  void callObserver(Transaction tr, Set<String> subs) {
    super.callObserver(tr, subs);
    if (!tr.local && hasFormatting) {
      tr.needFormattingCleanup = true;
    }
  }

  public int length() {
    return (int) length;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (DocItem n = start; n != null; n = n.right) {
      if (!n.isDeleted() && n.countable() && n.content instanceof ContentString s) {
        s.appendTo(sb);
      }
    }
    return sb.toString();
  }

  @Override
  public Object toJSON() {
    return toString();
  }

  // ------------------------------------------------------------------ positions

  static final class Pos {
    DocItem left;
    DocItem right;
    long index;
    final LinkedHashMap<String, Object> currentAttributes;

    Pos(DocItem left, DocItem right, long index, LinkedHashMap<String, Object> attrs) {
      this.left = left;
      this.right = right;
      this.index = index;
      this.currentAttributes = attrs;
    }

    void forward() {
      if (right == null) {
        throw new IllegalStateException("unexpected case");
      }
      if (right.content instanceof ContentFormat f) {
        if (!right.isDeleted()) {
          updateCurrentAttributes(currentAttributes, f);
        }
      } else if (!right.isDeleted()) {
        index += right.length;
      }
      left = right;
      right = right.right;
    }
  }

  static void updateCurrentAttributes(Map<String, Object> attrs, ContentFormat f) {
    if (f.value() == null) {
      attrs.remove(f.key());
    } else {
      attrs.put(f.key(), f.value());
    }
  }

  private static Pos findNextPosition(Transaction tr, Pos pos, long count) {
    while (pos.right != null && count > 0) {
      if (pos.right.content instanceof ContentFormat f) {
        if (!pos.right.isDeleted()) {
          updateCurrentAttributes(pos.currentAttributes, f);
        }
      } else if (!pos.right.isDeleted()) {
        if (count < pos.right.length) {
          tr.doc.store.getItemCleanStart(tr, pos.right.client, pos.right.clock + count);
        }
        pos.index += pos.right.length;
        count -= pos.right.length;
      }
      pos.left = pos.right;
      pos.right = pos.right.right;
    }
    return pos;
  }

  private Pos findPosition(Transaction tr, long index, boolean useSearchMarker) {
    LinkedHashMap<String, Object> attrs = new LinkedHashMap<>();
    Marker marker = useSearchMarker ? findMarker(index) : null;
    if (marker != null) {
      Pos pos = new Pos(marker.p.left, marker.p, marker.index, attrs);
      return findNextPosition(tr, pos, index - marker.index);
    }
    return findNextPosition(tr, new Pos(null, start, 0, attrs), index);
  }

  private static Object attr(Map<String, Object> attributes, String key) {
    Object v = attributes.get(key);
    return v == Undefined.INSTANCE ? null : v;
  }

  private void insertNegatedAttributes(Transaction tr, Pos currPos, LinkedHashMap<String, Object> negated) {
    while (currPos.right != null
        && (currPos.right.isDeleted()
            || (currPos.right.content instanceof ContentFormat f
                && JsValues.equalAttrs(negated.containsKey(f.key()) ? negated.get(f.key()) : Undefined.INSTANCE, f.value())))) {
      if (!currPos.right.isDeleted()) {
        negated.remove(((ContentFormat) currPos.right.content).key());
      }
      currPos.forward();
    }
    Doc d = tr.doc;
    long own = d.clientId;
    for (Map.Entry<String, Object> e : negated.entrySet()) {
      DocItem left = currPos.left;
      DocItem right = currPos.right;
      DocItem nextFormat =
          new DocItem(own, d.store.getState(own), left, left == null ? null : left.lastId(), right, right == null ? null : right.id(), this, null, new ContentFormat(e.getKey(), e.getValue()));
      nextFormat.integrate(tr, 0);
      currPos.right = nextFormat;
      currPos.forward();
    }
  }

  private static void minimizeAttributeChanges(Pos currPos, Map<String, Object> attributes) {
    while (currPos.right != null) {
      if (currPos.right.isDeleted()
          || (currPos.right.content instanceof ContentFormat f && JsValues.equalAttrs(attr(attributes, f.key()), f.value()))) {
        currPos.forward();
      } else {
        break;
      }
    }
  }

  private LinkedHashMap<String, Object> insertAttributes(Transaction tr, Pos currPos, Map<String, Object> attributes) {
    Doc d = tr.doc;
    long own = d.clientId;
    LinkedHashMap<String, Object> negated = new LinkedHashMap<>();
    for (String key : dev.tandem.crdt.lib0.JsObjectKeys.ordered(attributes)) {
      Object val = attributes.get(key);
      Object currentVal = currPos.currentAttributes.get(key);
      if (!JsValues.equalAttrs(currentVal, val)) {
        negated.put(key, currentVal);
        DocItem left = currPos.left;
        DocItem right = currPos.right;
        currPos.right =
            new DocItem(own, d.store.getState(own), left, left == null ? null : left.lastId(), right, right == null ? null : right.id(), this, null, new ContentFormat(key, val));
        currPos.right.integrate(tr, 0);
        currPos.forward();
      }
    }
    return negated;
  }

  private void insertText(Transaction tr, Pos currPos, Object text, Map<String, Object> attributes) {
    for (String key : currPos.currentAttributes.keySet()) {
      if (!attributes.containsKey(key) || attributes.get(key) == Undefined.INSTANCE) {
        attributes.put(key, null);
      }
    }
    Doc d = tr.doc;
    long own = d.clientId;
    minimizeAttributeChanges(currPos, attributes);
    LinkedHashMap<String, Object> negated = insertAttributes(tr, currPos, attributes);
    Content content =
        text instanceof String s
            ? new ContentString(s)
            : text instanceof AbstractType t ? new TypeContent(t) : new ContentEmbed(text);
    DocItem left = currPos.left;
    DocItem right = currPos.right;
    long index = currPos.index;
    if (searchMarker != null) {
      updateMarkerChanges(searchMarker, currPos.index, content.getLength());
    }
    right =
        new DocItem(own, d.store.getState(own), left, left == null ? null : left.lastId(), right, right == null ? null : right.id(), this, null, content);
    right.integrate(tr, 0);
    currPos.right = right;
    currPos.index = index;
    currPos.forward();
    insertNegatedAttributes(tr, currPos, negated);
  }

  private void formatText(Transaction tr, Pos currPos, long length, Map<String, Object> attributes) {
    Doc d = tr.doc;
    long own = d.clientId;
    minimizeAttributeChanges(currPos, attributes);
    LinkedHashMap<String, Object> negated = insertAttributes(tr, currPos, attributes);
    iteration:
    while (currPos.right != null
        && (length > 0
            || (!negated.isEmpty() && (currPos.right.isDeleted() || currPos.right.content instanceof ContentFormat)))) {
      if (!currPos.right.isDeleted()) {
        if (currPos.right.content instanceof ContentFormat f) {
          String key = f.key();
          Object value = f.value();
          if (attributes.containsKey(key) && attributes.get(key) != Undefined.INSTANCE) {
            Object a = attributes.get(key);
            if (JsValues.equalAttrs(a, value)) {
              negated.remove(key);
            } else {
              if (length == 0) {
                break iteration;
              }
              negated.put(key, value);
            }
            currPos.right.delete(tr);
          } else {
            currPos.currentAttributes.put(key, value);
          }
        } else {
          if (length < currPos.right.length) {
            d.store.getItemCleanStart(tr, currPos.right.client, currPos.right.clock + length);
          }
          length -= currPos.right.length;
        }
      }
      currPos.forward();
    }
    if (length > 0) {
      StringBuilder nl = new StringBuilder();
      for (; length > 0; length--) {
        nl.append('\n');
      }
      DocItem left = currPos.left;
      DocItem right = currPos.right;
      currPos.right =
          new DocItem(own, d.store.getState(own), left, left == null ? null : left.lastId(), right, right == null ? null : right.id(), this, null, new ContentString(nl.toString()));
      currPos.right.integrate(tr, 0);
      currPos.forward();
    }
    insertNegatedAttributes(tr, currPos, negated);
  }

  private static int cleanupFormattingGap(
      Transaction tr, DocItem start, DocItem curr, Map<String, Object> startAttributes, Map<String, Object> currAttributes) {
    DocItem end = start;
    HashMap<String, ContentFormat> endFormats = new HashMap<>();
    while (end != null && (!end.countable() || end.isDeleted())) {
      if (!end.isDeleted() && end.content instanceof ContentFormat cf) {
        endFormats.put(cf.key(), cf);
      }
      end = end.right;
    }
    int cleanups = 0;
    boolean reachedCurr = false;
    while (start != end) {
      if (curr == start) {
        reachedCurr = true;
      }
      if (!start.isDeleted() && start.content instanceof ContentFormat cf) {
        String key = cf.key();
        Object value = cf.value();
        Object startAttrValue = startAttributes.get(key);
        if (endFormats.get(key) != cf || JsValues.strictEquals(startAttrValue, value)) {
          start.delete(tr);
          cleanups++;
          if (!reachedCurr
              && JsValues.strictEquals(currAttributes.get(key), value)
              && !JsValues.strictEquals(startAttrValue, value)) {
            if (startAttrValue == null) {
              currAttributes.remove(key);
            } else {
              currAttributes.put(key, startAttrValue);
            }
          }
        }
        if (!reachedCurr && !start.isDeleted()) {
          updateCurrentAttributes(currAttributes, cf);
        }
      }
      start = start.right;
    }
    return cleanups;
  }

  private static void cleanupContextlessFormattingGap(Transaction tr, DocItem item) {
    while (item != null && item.right != null && (item.right.isDeleted() || !item.right.countable())) {
      item = item.right;
    }
    Set<String> attrs = new HashSet<>();
    while (item != null && (item.isDeleted() || !item.countable())) {
      if (!item.isDeleted() && item.content instanceof ContentFormat f) {
        if (attrs.contains(f.key())) {
          item.delete(tr);
        } else {
          attrs.add(f.key());
        }
      }
      item = item.left;
    }
  }

  static int cleanupYTextFormatting(AbstractType type) {
    int[] res = {0};
    type.doc.transact(
        tr -> {
          DocItem start = type.start;
          DocItem end = type.start;
          LinkedHashMap<String, Object> startAttributes = new LinkedHashMap<>();
          LinkedHashMap<String, Object> currentAttributes = new LinkedHashMap<>(startAttributes);
          while (end != null) {
            if (!end.isDeleted()) {
              if (end.content instanceof ContentFormat f) {
                updateCurrentAttributes(currentAttributes, f);
              } else {
                res[0] += cleanupFormattingGap(tr, start, end, startAttributes, currentAttributes);
                startAttributes = new LinkedHashMap<>(currentAttributes);
                start = end;
              }
            }
            end = end.right;
          }
          return null;
        },
        null,
        true);
    return res[0];
  }

  static void cleanupAfterTransaction(Transaction transaction) {
    LinkedHashSet<AbstractType> needFullCleanup = new LinkedHashSet<>();
    Doc doc = transaction.doc;
    for (Map.Entry<Long, Long> e : transaction.afterState.entrySet()) {
      long client = e.getKey();
      long afterClock = e.getValue();
      long clock = transaction.beforeClock(client);
      if (afterClock == clock) {
        continue;
      }
      StructStore.iterateStructs(
          transaction,
          doc.store.structs(client),
          clock,
          afterClock,
          s -> {
            if (s instanceof DocItem it && !it.isDeleted() && it.content instanceof ContentFormat) {
              needFullCleanup.add(it.parent);
            }
          });
    }
    doc.transact(
        t -> {
          for (Long client : transaction.deleteSet.clients()) {
            java.util.ArrayList<DocStruct> structs = doc.store.structs(client);
            if (structs == null) {
              continue;
            }
            DocStruct last = structs.get(structs.size() - 1);
            long clockState = last.clock + last.length;
            dev.tandem.crdt.update.DeleteSet.Ranges r = transaction.deleteSet.ranges(client);
            for (int i = 0; i < r.size() && r.clock(i) < clockState; i++) {
              StructStore.iterateStructs(
                  transaction,
                  structs,
                  r.clock(i),
                  r.len(i),
                  s -> {
                    if (!(s instanceof DocItem item)) {
                      return;
                    }
                    AbstractType parent = item.parent;
                    if (parent == null || !parent.hasFormatting || needFullCleanup.contains(parent)) {
                      return;
                    }
                    if (item.content instanceof ContentFormat) {
                      needFullCleanup.add(parent);
                    } else {
                      cleanupContextlessFormattingGap(t, item);
                    }
                  });
            }
          }
          for (AbstractType t2 : needFullCleanup) {
            cleanupYTextFormatting(t2);
          }
          return null;
        },
        null,
        true);
  }

  private void deleteText(Transaction tr, Pos currPos, long length) {
    long startLength = length;
    LinkedHashMap<String, Object> startAttrs = new LinkedHashMap<>(currPos.currentAttributes);
    DocItem start = currPos.right;
    while (length > 0 && currPos.right != null) {
      if (!currPos.right.isDeleted()) {
        Content c = currPos.right.content;
        if (c instanceof TypeContent || c instanceof ContentEmbed || c instanceof ContentString) {
          if (length < currPos.right.length) {
            tr.doc.store.getItemCleanStart(tr, currPos.right.client, currPos.right.clock + length);
          }
          length -= currPos.right.length;
          currPos.right.delete(tr);
        }
      }
      currPos.forward();
    }
    if (start != null && formatItems) {
      cleanupFormattingGap(tr, start, currPos.right, startAttrs, currPos.currentAttributes);
    }
    DocItem ref = currPos.left != null ? currPos.left : currPos.right;
    AbstractType parent = ref == null ? this : ref.parent;
    if (parent.searchMarker != null) {
      updateMarkerChanges(parent.searchMarker, currPos.index, -startLength + length);
    }
  }

  // ------------------------------------------------------------------ public API

  private static LinkedHashMap<String, Object> copyAttrs(Map<String, ?> attributes) {
    LinkedHashMap<String, Object> a = new LinkedHashMap<>();
    if (attributes != null) {
      a.putAll(attributes);
    }
    return a;
  }

  public void insert(int index, String text) {
    insert(index, text, null);
  }

  /** Inserts text; without attributes it takes the formatting at the position (as Yjs does). */
  public void insert(int index, String text, Map<String, ?> attributes) {
    if (text.isEmpty()) {
      return;
    }
    if (doc == null) {
      pending.add(() -> insert(index, text, attributes));
      return;
    }
    doc.transact(
        tr -> {
          Pos pos = findPosition(tr, index, attributes == null);
          LinkedHashMap<String, Object> attrs;
          if (attributes == null) {
            attrs = new LinkedHashMap<>(pos.currentAttributes);
          } else {
            attrs = copyAttrs(attributes);
          }
          insertText(tr, pos, text, attrs);
          return null;
        },
        null,
        true);
  }

  public void insertEmbed(int index, Object embed) {
    insertEmbed(index, embed, null);
  }

  /** Inserts an embed: a JSON-like value ({@code Map}) or a new shared type. */
  public void insertEmbed(int index, Object embed, Map<String, ?> attributes) {
    if (doc == null) {
      pending.add(() -> insertEmbed(index, embed, attributes == null ? Map.of() : attributes));
      return;
    }
    doc.transact(
        tr -> {
          Pos pos = findPosition(tr, index, attributes == null);
          insertText(tr, pos, embed, copyAttrs(attributes));
          return null;
        },
        null,
        true);
  }

  public void delete(int index, int length) {
    if (length == 0) {
      return;
    }
    if (doc == null) {
      pending.add(() -> delete(index, length));
      return;
    }
    doc.transact(
        tr -> {
          deleteText(tr, findPosition(tr, index, true), length);
          return null;
        },
        null,
        true);
  }

  /** Sets attributes on a range; a null value removes the attribute. */
  public void format(int index, int length, Map<String, ?> attributes) {
    if (length == 0) {
      return;
    }
    if (doc == null) {
      pending.add(() -> format(index, length, attributes));
      return;
    }
    doc.transact(
        tr -> {
          Pos pos = findPosition(tr, index, false);
          if (pos.right == null) {
            return null;
          }
          formatText(tr, pos, length, copyAttrs(attributes));
          return null;
        },
        null,
        true);
  }

  public void setAttribute(String name, Object value) {
    if (doc == null) {
      pending.add(() -> setAttribute(name, value));
      return;
    }
    doc.transact(tr -> mapSet(tr, name, value));
  }

  public void removeAttribute(String name) {
    if (doc == null) {
      pending.add(() -> removeAttribute(name));
      return;
    }
    doc.transact(tr -> mapDelete(tr, name));
  }

  public Object getAttribute(String name) {
    return mapGet(name);
  }

  public Map<String, Object> getAttributes() {
    return mapGetAll();
  }

  /**
   * Yjs's toDelta(): a list of {@code {insert, attributes?}} maps; insert is a String, an embed
   * value or a shared type.
   */
  public List<Map<String, Object>> toDelta() {
    List<Map<String, Object>> ops = new ArrayList<>();
    LinkedHashMap<String, Object> currentAttributes = new LinkedHashMap<>();
    StringBuilder str = new StringBuilder();
    for (DocItem n = start; n != null; n = n.right) {
      if (n.isDeleted()) {
        continue;
      }
      Content c = n.content;
      if (c instanceof ContentString s) {
        if (currentAttributes.containsKey("ychange")) {
          packStr(ops, str, currentAttributes);
          currentAttributes.remove("ychange");
        }
        s.appendTo(str);
      } else if (c instanceof TypeContent || c instanceof ContentEmbed) {
        packStr(ops, str, currentAttributes);
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("insert", c instanceof TypeContent t ? t.type : ((ContentEmbed) c).embed());
        if (!currentAttributes.isEmpty()) {
          op.put("attributes", jsOrdered(new LinkedHashMap<>(currentAttributes)));
        }
        ops.add(op);
      } else if (c instanceof ContentFormat f) {
        packStr(ops, str, currentAttributes);
        updateCurrentAttributes(currentAttributes, f);
      }
    }
    packStr(ops, str, currentAttributes);
    return ops;
  }

  private static void packStr(List<Map<String, Object>> ops, StringBuilder str, Map<String, Object> attrs) {
    if (str.length() > 0) {
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("insert", str.toString());
      if (!attrs.isEmpty()) {
        op.put("attributes", jsOrdered(new LinkedHashMap<>(attrs)));
      }
      ops.add(op);
      str.setLength(0);
    }
  }
}
