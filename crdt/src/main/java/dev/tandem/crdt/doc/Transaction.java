package dev.tandem.crdt.doc;

import dev.tandem.crdt.struct.ContentDoc;
import dev.tandem.crdt.update.DeleteSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A unit of change on a {@link Doc} (Yjs's Transaction). */
public final class Transaction {
  final Doc doc;
  final DeleteSet deleteSet = new DeleteSet();
  final HashMap<Long, Long> beforeState;
  Map<Long, Long> afterState;
  final LinkedHashMap<AbstractType, Set<String>> changed = new LinkedHashMap<>();
  final ArrayList<DocItem> mergeStructs = new ArrayList<>();
  final Object origin;
  boolean local;
  boolean needFormattingCleanup;
  /** Sub-documents added / removed (created on first use; no lifecycle events yet). */
  LinkedHashSet<ContentDoc> subdocsAdded;
  LinkedHashSet<ContentDoc> subdocsRemoved;

  Transaction(Doc doc, Object origin, boolean local) {
    this.doc = doc;
    this.beforeState = doc.store.stateMap();
    this.origin = origin;
    this.local = local;
  }

  public Doc doc() {
    return doc;
  }

  public Object origin() {
    return origin;
  }

  public boolean local() {
    return local;
  }

  long beforeClock(long client) {
    Long c = beforeState.get(client);
    return c == null ? 0 : c;
  }

  /** Set of the key null, shared: list changes of a type are recorded without allocating. */
  private static final Set<String> LIST_ONLY = java.util.Collections.singleton(null);

  void addChangedType(AbstractType type, String parentSub) {
    DocItem item = type.item;
    if (item == null || (item.clock < beforeClock(item.client) && !item.isDeleted())) {
      Set<String> subs = changed.get(type);
      if (subs == null) {
        changed.put(type, parentSub == null ? LIST_ONLY : newSubs(parentSub));
      } else if (!subs.contains(parentSub)) {
        if (subs == LIST_ONLY) {
          subs = newSubs(null);
          changed.put(type, subs);
        }
        subs.add(parentSub);
      }
    }
  }

  private static Set<String> newSubs(String first) {
    Set<String> s = new LinkedHashSet<>();
    s.add(first);
    return s;
  }

  void subdocAdded(ContentDoc d) {
    if (subdocsAdded == null) {
      subdocsAdded = new LinkedHashSet<>();
    }
    subdocsAdded.add(d);
  }

  void subdocRemoved(ContentDoc d) {
    if (subdocsAdded == null || !subdocsAdded.remove(d)) {
      if (subdocsRemoved == null) {
        subdocsRemoved = new LinkedHashSet<>();
      }
      subdocsRemoved.add(d);
    }
  }
}
