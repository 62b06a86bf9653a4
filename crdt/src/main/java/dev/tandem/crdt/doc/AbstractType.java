package dev.tandem.crdt.doc;

import dev.tandem.crdt.lib0.JsObjectKeys;
import dev.tandem.crdt.lib0.Undefined;
import dev.tandem.crdt.struct.Content;
import dev.tandem.crdt.struct.ContentAny;
import dev.tandem.crdt.struct.ContentBinary;
import dev.tandem.crdt.struct.ContentDoc;
import dev.tandem.crdt.struct.ContentType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of every shared type (Yjs's AbstractType): a sequence of items ({@link #start}) and a
 * map of keyed items ({@link #map}, the current value per key), with Yjs's list and map
 * operations and its search markers.
 */
public abstract class AbstractType {
  static final int MAX_SEARCH_MARKER = 80;

  Doc doc;
  DocItem item;
  LinkedHashMap<String, DocItem> map = new LinkedHashMap<>();
  DocItem start;
  long length;
  /** Search markers (null: disabled, as for types that never had them or got formatting). */
  ArrayList<Marker> searchMarker;
  boolean hasFormatting;
  /**
   * Whether a format item was ever integrated into this type (unlike Yjs's _hasFormatting,
   * which {@link #hasFormatting} mirrors, it survives the conversion of a generic root type).
   * Without format items Y.Text's formatting-gap cleanup has nothing to do and is skipped.
   */
  boolean formatItems;
  /** Name in {@link Doc}'s share for root types, else null. */
  String rootName;

  /**
   * Timestamps of this type's search markers (Yjs uses one global counter; only the order of
   * the markers of one type matters, which a per-type counter gives without contention).
   */
  long markerClock;

  AbstractType() {}

  /** The document this type is part of, or null while it is not integrated. */
  public Doc doc() {
    return doc;
  }

  /** The type this one is nested in, or null for a root type. */
  public AbstractType parent() {
    return item == null ? null : item.parent;
  }

  /** Yjs's type ref written for nested types. */
  abstract int typeRef();

  /** Node name (XML element) or hook name (XML hook), else null. */
  String wireName() {
    return null;
  }

  abstract AbstractType copyEmpty();

  /** Yjs's {@code toJSON()} of this type (see docs/architecture.md for the Java model). */
  public abstract Object toJSON();

  void integrate(Doc y, DocItem item) {
    this.doc = y;
    this.item = item;
  }

  /** Yjs's _callObserver at transaction end (no user observers yet: only its side effects). */
  void callObserver(Transaction tr, java.util.Set<String> subs) {
    if (!tr.local && searchMarker != null) {
      searchMarker.clear();
    }
  }

  static AbstractType create(int typeRef, String name) {
    switch (typeRef) {
      case ContentType.Y_ARRAY:
        return new YArray();
      case ContentType.Y_MAP:
        return new YMap();
      case ContentType.Y_TEXT:
        return new YText();
      case ContentType.Y_XML_ELEMENT:
        return new YXmlElement(name);
      case ContentType.Y_XML_FRAGMENT:
        return new YXmlFragment();
      case ContentType.Y_XML_HOOK:
        return new YXmlHook(name);
      case ContentType.Y_XML_TEXT:
        return new YXmlText();
      default:
        throw new IllegalArgumentException("type ref " + typeRef);
    }
  }

  // ------------------------------------------------------------------ search markers

  static final class Marker {
    DocItem p;
    long index;
    long timestamp;

    Marker(DocItem p, long index, long timestamp) {
      p.setMarker(true);
      this.p = p;
      this.index = index;
      this.timestamp = timestamp;
    }
  }

  private void overwriteMarker(Marker m, DocItem p, long index) {
    m.p.setMarker(false);
    m.p = p;
    p.setMarker(true);
    m.index = index;
    m.timestamp = markerClock++;
  }

  private Marker markPosition(ArrayList<Marker> sm, DocItem p, long index) {
    if (sm.size() >= MAX_SEARCH_MARKER) {
      Marker oldest = sm.get(0);
      for (int i = 1; i < sm.size(); i++) {
        Marker b = sm.get(i);
        if (!(oldest.timestamp < b.timestamp)) {
          oldest = b;
        }
      }
      overwriteMarker(oldest, p, index);
      return oldest;
    }
    Marker pm = new Marker(p, index, markerClock++);
    sm.add(pm);
    return pm;
  }

  Marker findMarker(long index) {
    if (start == null || index == 0 || searchMarker == null) {
      return null;
    }
    Marker marker = null;
    if (!searchMarker.isEmpty()) {
      marker = searchMarker.get(0);
      for (int i = 1; i < searchMarker.size(); i++) {
        Marker b = searchMarker.get(i);
        if (!(Math.abs(index - marker.index) < Math.abs(index - b.index))) {
          marker = b;
        }
      }
    }
    DocItem p = start;
    long pindex = 0;
    if (marker != null) {
      p = marker.p;
      pindex = marker.index;
      marker.timestamp = markerClock++;
    }
    while (p.right != null && pindex < index) {
      if (!p.isDeleted() && p.countable()) {
        if (index < pindex + p.length) {
          break;
        }
        pindex += p.length;
      }
      p = p.right;
    }
    while (p.left != null && pindex > index) {
      p = p.left;
      if (!p.isDeleted() && p.countable()) {
        pindex -= p.length;
      }
    }
    while (p.left != null && p.left.client == p.client && p.left.clock + p.left.length == p.clock) {
      p = p.left;
      if (!p.isDeleted() && p.countable()) {
        pindex -= p.length;
      }
    }
    if (marker != null && Math.abs(marker.index - pindex) < (double) p.parent.length / MAX_SEARCH_MARKER) {
      overwriteMarker(marker, p, pindex);
      return marker;
    }
    return markPosition(searchMarker, p, pindex);
  }

  static void updateMarkerChanges(ArrayList<Marker> sm, long index, long len) {
    for (int i = sm.size() - 1; i >= 0; i--) {
      Marker m = sm.get(i);
      if (len > 0) {
        DocItem p = m.p;
        p.setMarker(false);
        while (p != null && (p.isDeleted() || !p.countable())) {
          p = p.left;
          if (p != null && !p.isDeleted() && p.countable()) {
            m.index -= p.length;
          }
        }
        if (p == null || p.marker()) {
          sm.remove(i);
          continue;
        }
        m.p = p;
        p.setMarker(true);
      }
      if (index < m.index || (len > 0 && index == m.index)) {
        m.index = Math.max(index, m.index + len);
      }
    }
  }

  // ------------------------------------------------------------------ list operations

  List<Object> listToArray() {
    List<Object> out = new ArrayList<>();
    for (DocItem n = start; n != null; n = n.right) {
      if (n.countable() && !n.isDeleted()) {
        out.addAll(n.values());
      }
    }
    return out;
  }

  Object listGet(long index) {
    Marker marker = findMarker(index);
    DocItem n = start;
    if (marker != null) {
      n = marker.p;
      index -= marker.index;
    }
    for (; n != null; n = n.right) {
      if (!n.isDeleted() && n.countable()) {
        if (index < n.length) {
          return n.values().get((int) index);
        }
        index -= n.length;
      }
    }
    throw new IndexOutOfBoundsException("index " + index);
  }

  static Content contentFor(Object c, boolean forMap) {
    if (c instanceof byte[] b) {
      return new ContentBinary(b.clone());
    }
    if (c instanceof Subdoc d) {
      return new ContentDoc(d.guid(), d.opts());
    }
    if (c instanceof AbstractType t) {
      if (t.doc != null || t.item != null) {
        throw new IllegalArgumentException("this type is already part of a document");
      }
      return new TypeContent(t);
    }
    throw new IllegalArgumentException("Unexpected content type: " + c.getClass().getName());
  }

  static boolean isAnyValue(Object c, boolean forMap) {
    if (c == null) {
      return true;
    }
    if (c instanceof Undefined) {
      return forMap;
    }
    if (c instanceof BigInteger) {
      return forMap;
    }
    return c instanceof Number || c instanceof Boolean || c instanceof String || c instanceof Map || c instanceof List;
  }

  void listInsertGenericsAfter(Transaction tr, DocItem referenceItem, List<?> content) {
    DocItem left = referenceItem;
    Doc d = tr.doc;
    long own = d.clientId;
    StructStore store = d.store;
    DocItem right = referenceItem == null ? start : referenceItem.right;
    List<Object> json = new ArrayList<>();
    for (Object c : content) {
      if (isAnyValue(c, false)) {
        json.add(c);
      } else {
        if (!json.isEmpty()) {
          left = insertItem(tr, store, own, left, right, new ContentAny(json));
          json = new ArrayList<>();
        }
        left = insertItem(tr, store, own, left, right, contentFor(c, false));
      }
    }
    if (!json.isEmpty()) {
      insertItem(tr, store, own, left, right, new ContentAny(json));
    }
  }

  private DocItem insertItem(Transaction tr, StructStore store, long own, DocItem left, DocItem right, Content c) {
    DocItem it =
        new DocItem(own, store.getState(own), left, left == null ? null : left.lastId(), right, right == null ? null : right.id(), this, null, c);
    it.integrate(tr, 0);
    return it;
  }

  void listInsertGenerics(Transaction tr, long index, List<?> content) {
    if (index > length || index < 0) {
      throw new IndexOutOfBoundsException("Length exceeded!");
    }
    if (index == 0) {
      if (searchMarker != null) {
        updateMarkerChanges(searchMarker, index, content.size());
      }
      listInsertGenericsAfter(tr, null, content);
      return;
    }
    long startIndex = index;
    Marker marker = findMarker(index);
    DocItem n = start;
    if (marker != null) {
      n = marker.p;
      index -= marker.index;
      if (index == 0) {
        n = n.prev();
        index += (n != null && n.countable() && !n.isDeleted()) ? n.length : 0;
      }
    }
    for (; n != null; n = n.right) {
      if (!n.isDeleted() && n.countable()) {
        if (index <= n.length) {
          if (index < n.length) {
            tr.doc.store.getItemCleanStart(tr, n.client, n.clock + index);
          }
          break;
        }
        index -= n.length;
      }
    }
    if (searchMarker != null) {
      updateMarkerChanges(searchMarker, startIndex, content.size());
    }
    listInsertGenericsAfter(tr, n, content);
  }

  void listPushGenerics(Transaction tr, List<?> content) {
    DocItem n = start;
    long best = 0;
    if (searchMarker != null) {
      for (Marker m : searchMarker) {
        if (m.index > best) {
          best = m.index;
          n = m.p;
        }
      }
    }
    if (n != null) {
      while (n.right != null) {
        n = n.right;
      }
    }
    listInsertGenericsAfter(tr, n, content);
  }

  void listDelete(Transaction tr, long index, long len) {
    if (len == 0) {
      return;
    }
    long startIndex = index;
    long startLength = len;
    Marker marker = findMarker(index);
    DocItem n = start;
    if (marker != null) {
      n = marker.p;
      index -= marker.index;
    }
    StructStore store = tr.doc.store;
    for (; n != null && index > 0; n = n.right) {
      if (!n.isDeleted() && n.countable()) {
        if (index < n.length) {
          store.getItemCleanStart(tr, n.client, n.clock + index);
        }
        index -= n.length;
      }
    }
    while (len > 0 && n != null) {
      if (!n.isDeleted()) {
        if (len < n.length) {
          store.getItemCleanStart(tr, n.client, n.clock + len);
        }
        n.delete(tr);
        len -= n.length;
      }
      n = n.right;
    }
    if (len > 0) {
      throw new IndexOutOfBoundsException("Length exceeded!");
    }
    if (searchMarker != null) {
      updateMarkerChanges(searchMarker, startIndex, -startLength + len);
    }
  }

  // ------------------------------------------------------------------ map operations

  void mapDelete(Transaction tr, String key) {
    DocItem c = map.get(key);
    if (c != null) {
      c.delete(tr);
    }
  }

  void mapSet(Transaction tr, String key, Object value) {
    DocItem left = map.get(key);
    Doc d = tr.doc;
    long own = d.clientId;
    Content content = isAnyValue(value, true) ? new ContentAny(DocItem.list(value)) : contentFor(value, true);
    new DocItem(own, d.store.getState(own), left, left == null ? null : left.lastId(), null, null, this, key, content)
        .integrate(tr, 0);
  }

  Object mapGet(String key) {
    DocItem v = map.get(key);
    return v != null && !v.isDeleted() ? Values.last(v.content) : null;
  }

  boolean mapHas(String key) {
    DocItem v = map.get(key);
    return v != null && !v.isDeleted();
  }

  /** Live entries in JavaScript object-key order (Yjs's typeMapGetAll). */
  Map<String, Object> mapGetAll() {
    Map<String, Object> tmp = new LinkedHashMap<>();
    for (Map.Entry<String, DocItem> e : map.entrySet()) {
      if (!e.getValue().isDeleted()) {
        tmp.put(e.getKey(), Values.last(e.getValue().content));
      }
    }
    return jsOrdered(tmp);
  }

  static Map<String, Object> jsOrdered(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : JsObjectKeys.ordered(m)) {
      out.put(k, m.get(k));
    }
    return out;
  }

  /** Live keys in insertion order of the underlying map (Yjs's keys()). */
  List<String> mapKeys() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, DocItem> e : map.entrySet()) {
      if (!e.getValue().isDeleted()) {
        out.add(e.getKey());
      }
    }
    return out;
  }
}
