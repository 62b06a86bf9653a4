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
  final LinkedHashSet<ContentDoc> subdocsAdded = new LinkedHashSet<>();
  final LinkedHashSet<ContentDoc> subdocsRemoved = new LinkedHashSet<>();

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

  void addChangedType(AbstractType type, String parentSub) {
    DocItem item = type.item;
    if (item == null || (item.clock < beforeClock(item.client) && !item.isDeleted())) {
      changed.computeIfAbsent(type, t -> new LinkedHashSet<>()).add(parentSub);
    }
  }

  void subdocAdded(ContentDoc d) {
    subdocsAdded.add(d);
  }

  void subdocRemoved(ContentDoc d) {
    if (!subdocsAdded.remove(d)) {
      subdocsRemoved.add(d);
    }
  }
}
