package dev.tandem.crdt.doc;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.lib0.JsObjectKeys;
import dev.tandem.crdt.lib0.Lib0Decoder;
import dev.tandem.crdt.update.DecodedUpdate;
import dev.tandem.crdt.update.DeleteSet;
import dev.tandem.crdt.update.UpdateEncoder;
import dev.tandem.crdt.update.UpdateEncoderV1;
import dev.tandem.crdt.update.UpdateEncoderV2;
import dev.tandem.crdt.update.Updates;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A Yjs document (yjs 13.6.33 semantics and encodings): shared root types, a struct store,
 * transactions with update events, update application (all-or-nothing) and state encoding.
 * Not thread-safe: use one thread at a time per document.
 */
public final class Doc {
  private static final Random RANDOM = new SecureRandom();

  long clientId;
  private final String guid;
  private final boolean gc;
  final StructStore store = new StructStore();
  final LinkedHashMap<String, AbstractType> share = new LinkedHashMap<>();
  private Transaction transaction;
  /** Size of the last full v1 state encoding, the next one's initial buffer size. */
  private int lastV1Size;
  private final ArrayList<Transaction> cleanups = new ArrayList<>();
  private final List<UpdateListener> updateListeners = new CopyOnWriteArrayList<>();
  private final List<UpdateListener> updateV2Listeners = new CopyOnWriteArrayList<>();

  /** A document with a random 32-bit client id, a random guid and gc on (Yjs's defaults). */
  public Doc() {
    this(randomClientId(), UUID.randomUUID().toString(), true);
  }

  public Doc(boolean gc) {
    this(randomClientId(), UUID.randomUUID().toString(), gc);
  }

  public Doc(long clientId, boolean gc) {
    this(clientId, UUID.randomUUID().toString(), gc);
  }

  public Doc(long clientId, String guid, boolean gc) {
    if (clientId < 0 || clientId > Lib0Decoder.MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException("client id must be in 0..2^53-1");
    }
    this.clientId = clientId;
    this.guid = guid;
    this.gc = gc;
  }

  /** A random unsigned 32-bit client id, as Yjs generates them. */
  public static long randomClientId() {
    return RANDOM.nextInt() & 0xFFFFFFFFL;
  }

  public long clientId() {
    return clientId;
  }

  public void setClientId(long clientId) {
    this.clientId = clientId;
  }

  public String guid() {
    return guid;
  }

  public boolean gc() {
    return gc;
  }

  // ------------------------------------------------------------------ root types

  AbstractType get(String name) {
    return share.computeIfAbsent(
        name,
        n -> {
          AbstractType t = new GenericType();
          t.rootName = n;
          t.integrate(this, null);
          return t;
        });
  }

  @SuppressWarnings("unchecked")
  private <T extends AbstractType> T get(String name, Class<T> cls, java.util.function.Supplier<T> ctor) {
    AbstractType type = share.get(name);
    if (type == null) {
      T t = ctor.get();
      t.rootName = name;
      t.integrate(this, null);
      share.put(name, t);
      return t;
    }
    if (type.getClass() == cls) {
      return (T) type;
    }
    if (type instanceof GenericType) {
      T t = ctor.get();
      t.rootName = name;
      t.map = type.map;
      for (DocItem n : type.map.values()) {
        for (; n != null; n = n.left) {
          n.parent = t;
        }
      }
      t.start = type.start;
      for (DocItem n = t.start; n != null; n = n.right) {
        n.parent = t;
      }
      t.length = type.length;
      t.formatItems = type.formatItems;
      share.put(name, t);
      t.integrate(this, null);
      return t;
    }
    throw new IllegalStateException(
        "Type with the name " + name + " has already been defined with a different constructor");
  }

  public YText getText(String name) {
    return get(name, YText.class, YText::new);
  }

  public YArray getArray(String name) {
    return get(name, YArray.class, YArray::new);
  }

  public YMap getMap(String name) {
    return get(name, YMap.class, YMap::new);
  }

  public YXmlFragment getXmlFragment(String name) {
    return get(name, YXmlFragment.class, YXmlFragment::new);
  }

  public YXmlElement getXmlElement(String name) {
    return get(name, YXmlElement.class, () -> new YXmlElement("UNDEFINED"));
  }

  /**
   * What kind of shared type root {@code name} is. A root already accessed with a typed getter is
   * that type (an XML element counts as {@link RootKind#XML_FRAGMENT}); one only received in
   * updates is inferred from its live (not deleted) content, without changing the document:
   * text content (strings, formats, embeds) makes it {@link RootKind#TEXT}; else any list content
   * that is not an XML node (values, nested maps/arrays) {@link RootKind#ARRAY}; else XML children
   * only (elements, XML texts, hooks) {@link RootKind#XML_FRAGMENT}; else keyed entries (also deleted ones) {@link RootKind#MAP};
   * otherwise {@link RootKind#UNKNOWN}. For readers without the document's schema, e.g. a
   * server rendering JSON: call the matching getter on a copy of the document.
   */
  public RootKind inferRootKind(String name) {
    AbstractType t = share.get(name);
    if (t == null) {
      return RootKind.UNKNOWN;
    }
    if (t instanceof YText) {
      return RootKind.TEXT;
    }
    if (t instanceof YXmlFragment) {
      return RootKind.XML_FRAGMENT;
    }
    if (t instanceof YMap) {
      return RootKind.MAP;
    }
    if (t instanceof YArray) {
      return RootKind.ARRAY;
    }
    boolean xml = false;
    boolean list = false;
    for (DocItem n = t.start; n != null; n = n.right) {
      if (n.deleted()) {
        continue;
      }
      dev.tandem.crdt.struct.Content c = n.content;
      if (c instanceof dev.tandem.crdt.struct.ContentString || c instanceof dev.tandem.crdt.struct.ContentFormat
          || c instanceof dev.tandem.crdt.struct.ContentEmbed) {
        return RootKind.TEXT;
      }
      if (c instanceof TypeContent tc
          && (tc.type instanceof YXmlFragment || tc.type instanceof YXmlText || tc.type instanceof YXmlHook)) {
        xml = true;
      } else {
        list = true;
      }
    }
    // An XmlFragment holds only XML nodes; any other list content (values, nested Y.Map/Y.Array)
    // means a Y.Array, which may also hold XML nodes among its values.
    if (list) {
      return RootKind.ARRAY;
    }
    if (xml) {
      return RootKind.XML_FRAGMENT;
    }
    return t.map.isEmpty() ? RootKind.UNKNOWN : RootKind.MAP;
  }

  /** Names of the root types in creation order. */
  public List<String> rootNames() {
    return List.copyOf(share.keySet());
  }

  /**
   * Yjs's {@code doc.toJSON()}: every root type's JSON, keys in JavaScript object order. A root
   * that was never accessed with a typed getter is {@link dev.tandem.crdt.lib0.Undefined} (Yjs
   * returns undefined for it, which JSON.stringify drops).
   */
  public Map<String, Object> toJSON() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : JsObjectKeys.ordered(share)) {
      out.put(k, share.get(k).toJSON());
    }
    return out;
  }

  // ------------------------------------------------------------------ events

  public void onUpdate(UpdateListener l) {
    updateListeners.add(l);
  }

  public void onUpdateV2(UpdateListener l) {
    updateV2Listeners.add(l);
  }

  public void offUpdate(UpdateListener l) {
    updateListeners.remove(l);
  }

  public void offUpdateV2(UpdateListener l) {
    updateV2Listeners.remove(l);
  }

  // ------------------------------------------------------------------ transactions

  public void transact(Consumer<Transaction> f) {
    transact(f, null);
  }

  public void transact(Consumer<Transaction> f, Object origin) {
    transact(
        tr -> {
          f.accept(tr);
          return null;
        },
        origin,
        true);
  }

  <T> T transact(Function<Transaction, T> f, Object origin, boolean local) {
    boolean initialCall = false;
    if (transaction == null) {
      initialCall = true;
      transaction = new Transaction(this, origin, local);
      cleanups.add(transaction);
    }
    try {
      return f.apply(transaction);
    } finally {
      if (initialCall) {
        boolean finishCleanup = transaction == cleanups.get(0);
        transaction = null;
        if (finishCleanup) {
          runCleanups();
        }
      }
    }
  }

  /** The running transaction (Yjs's doc._transaction) or null. */
  Transaction current() {
    return transaction;
  }

  private void runCleanups() {
    try {
      for (int i = 0; i < cleanups.size(); i++) {
        cleanup(cleanups.get(i));
      }
    } finally {
      cleanups.clear();
    }
  }

  // cleanup is split into small methods so that the JIT compiles the common path early
  private void cleanup(Transaction tr) {
    DeleteSet ds = tr.deleteSet;
    try {
      observe(tr, ds);
    } finally {
      if (gc) {
        tryGcDeleteSet(ds);
      }
      tryMergeDeleteSet(ds);
      mergeNewStructs(tr);
      mergeSplitStructs(tr);
      if (!tr.local && !java.util.Objects.equals(tr.afterState.get(clientId), tr.beforeState.get(clientId))) {
        clientId = randomClientId();
      }
      if (!updateListeners.isEmpty()) {
        emitUpdate(tr);
      }
      if (!updateV2Listeners.isEmpty()) {
        emitUpdateV2(tr);
      }
    }
  }

  private void observe(Transaction tr, DeleteSet ds) {
    ds.sortAndMerge();
    tr.afterState = store.getStateVector();
    for (Map.Entry<AbstractType, java.util.Set<String>> e : tr.changed.entrySet()) {
      AbstractType type = e.getKey();
      if (type.item == null || !type.item.isDeleted()) {
        type.callObserver(tr, e.getValue());
      }
    }
    if (tr.needFormattingCleanup) {
      YText.cleanupAfterTransaction(tr);
    }
  }

  /** Merges the structs each client added in this transaction (Yjs's cleanup, same order). */
  private void mergeNewStructs(Transaction tr) {
    for (Map.Entry<Long, Long> e : tr.afterState.entrySet()) {
      long client = e.getKey();
      long before = tr.beforeClock(client);
      if (before != e.getValue()) {
        ArrayList<DocStruct> structs = store.structs(client);
        int firstChangePos = Math.max(StructStore.findIndexSS(structs, before), 1);
        for (int i = structs.size() - 1; i >= firstChangePos; ) {
          i -= 1 + tryToMergeWithLefts(structs, i);
        }
      }
    }
  }

  private void mergeSplitStructs(Transaction tr) {
    for (int i = tr.mergeStructs.size() - 1; i >= 0; i--) {
      DocItem m = tr.mergeStructs.get(i);
      ArrayList<DocStruct> structs = store.structs(m.client);
      int pos = StructStore.findIndexSS(structs, m.clock);
      if (pos + 1 < structs.size()) {
        if (tryToMergeWithLefts(structs, pos + 1) > 1) {
          continue;
        }
      }
      if (pos > 0) {
        tryToMergeWithLefts(structs, pos);
      }
    }
  }

  private void emitUpdate(Transaction tr) {
    UpdateEncoderV1 enc = new UpdateEncoderV1();
    if (writeUpdateMessageFromTransaction(enc, tr)) {
      byte[] u = enc.toByteArray();
      for (UpdateListener l : updateListeners) {
        l.onUpdate(u, tr.origin, tr);
      }
    }
  }

  private void emitUpdateV2(Transaction tr) {
    UpdateEncoderV2 enc = new UpdateEncoderV2();
    if (writeUpdateMessageFromTransaction(enc, tr)) {
      byte[] u = enc.toByteArray();
      for (UpdateListener l : updateV2Listeners) {
        l.onUpdate(u, tr.origin, tr);
      }
    }
  }

  private boolean writeUpdateMessageFromTransaction(UpdateEncoder enc, Transaction tr) {
    if (tr.deleteSet.isEmpty()) {
      boolean changed = false;
      for (Map.Entry<Long, Long> e : tr.afterState.entrySet()) {
        Long b = tr.beforeState.get(e.getKey());
        if (b == null || b.longValue() != e.getValue().longValue()) {
          changed = true;
          break;
        }
      }
      if (!changed) {
        return false;
      }
    }
    tr.deleteSet.sortAndMerge();
    writeClientsStructs(enc, store, tr.beforeState);
    tr.deleteSet.write(enc);
    return true;
  }

  private static int tryToMergeWithLefts(ArrayList<DocStruct> structs, int pos) {
    DocStruct right = structs.get(pos);
    DocStruct left = structs.get(pos - 1);
    int i = pos;
    for (; i > 0; right = left, left = --i - 1 >= 0 ? structs.get(i - 1) : null) {
      if (left.isDeleted() == right.isDeleted() && left.getClass() == right.getClass()) {
        boolean merged;
        if (left instanceof DocItem l) {
          merged = l.mergeWith((DocItem) right);
          if (merged) {
            DocItem r = (DocItem) right;
            if (r.parentSub != null && r.parent.map.get(r.parentSub) == r) {
              r.parent.map.put(r.parentSub, l);
            }
          }
        } else {
          left.length += right.length;
          merged = true;
        }
        if (merged) {
          continue;
        }
      }
      break;
    }
    int merged = pos - i;
    if (merged > 0) {
      structs.subList(pos + 1 - merged, pos + 1).clear();
    }
    return merged;
  }

  private void tryGcDeleteSet(DeleteSet ds) {
    for (Long client : ds.clients()) {
      DeleteSet.Ranges r = ds.ranges(client);
      ArrayList<DocStruct> structs = store.structs(client);
      for (int di = r.size() - 1; di >= 0; di--) {
        long dclock = r.clock(di);
        long end = dclock + r.len(di);
        for (int si = StructStore.findIndexSS(structs, dclock); si < structs.size(); si++) {
          DocStruct s = structs.get(si);
          if (s.clock >= end) {
            break;
          }
          if (s instanceof DocItem it && it.isDeleted() && !it.keep()) {
            it.gc(store, false);
          }
        }
      }
    }
  }

  private void tryMergeDeleteSet(DeleteSet ds) {
    for (Long client : ds.clients()) {
      DeleteSet.Ranges r = ds.ranges(client);
      ArrayList<DocStruct> structs = store.structs(client);
      for (int di = r.size() - 1; di >= 0; di--) {
        long dclock = r.clock(di);
        int mostRight =
            Math.min(structs.size() - 1, 1 + StructStore.findIndexSS(structs, dclock + r.len(di) - 1));
        for (int si = mostRight; si > 0 && structs.get(si).clock >= dclock; ) {
          si -= 1 + tryToMergeWithLefts(structs, si);
        }
      }
    }
  }

  // ------------------------------------------------------------------ encoding

  static void writeClientsStructs(UpdateEncoder enc, StructStore store, Map<Long, Long> target) {
    Map<Long, Long> sm = new LinkedHashMap<>();
    for (Map.Entry<Long, Long> e : target.entrySet()) {
      if (store.getState(e.getKey()) > e.getValue()) {
        sm.put(e.getKey(), e.getValue());
      }
    }
    for (Long client : store.clients.keySet()) {
      if (!target.containsKey(client)) {
        sm.put(client, 0L);
      }
    }
    enc.rest().writeVarUint(sm.size());
    List<Long> clients = new ArrayList<>(sm.keySet());
    clients.sort(Collections.reverseOrder());
    for (Long client : clients) {
      writeStructs(enc, store.structs(client), client, sm.get(client));
    }
  }

  static void writeStructs(UpdateEncoder enc, ArrayList<DocStruct> structs, long client, long clock) {
    clock = Math.max(clock, structs.get(0).clock);
    int startNew = StructStore.findIndexSS(structs, clock);
    enc.rest().writeVarUint(structs.size() - startNew);
    enc.writeClient(client);
    enc.rest().writeVarUint(clock);
    DocStruct first = structs.get(startNew);
    first.write(enc, clock - first.clock);
    for (int i = startNew + 1; i < structs.size(); i++) {
      structs.get(i).write(enc, 0);
    }
  }

  DeleteSet deleteSetFromStore() {
    DeleteSet ds = new DeleteSet();
    for (Map.Entry<Long, ArrayList<DocStruct>> e : store.clients.entrySet()) {
      ArrayList<DocStruct> structs = e.getValue();
      DeleteSet.Ranges ranges = null;
      for (int i = 0, n = structs.size(); i < n; i++) {
        DocStruct s = structs.get(i);
        if (s.isDeleted()) {
          long clock = s.clock;
          long len = s.length;
          while (i + 1 < n && structs.get(i + 1).isDeleted()) {
            len += structs.get(++i).length;
          }
          if (ranges == null) {
            ranges = ds.rangesFor(e.getKey());
          }
          ranges.add(clock, len);
        }
      }
    }
    return ds;
  }

  /** The current state vector, client to next expected clock. */
  public Map<Long, Long> stateVector() {
    return store.getStateVector();
  }

  public byte[] encodeStateVector() {
    return Updates.encodeStateVector(store.getStateVector());
  }

  /**
   * The next clock this document expects from {@code client} (Yjs's {@code getState}; 0 for a
   * client it never saw). O(1), unlike {@link #stateVector()}, which copies every client.
   */
  public long state(long client) {
    return store.getState(client);
  }

  /**
   * Whether every id in {@code [clock, clock + len)} of {@code client} is deleted here: covered by
   * a GC struct or a deleted item of the struct store, exactly the ranges the delete set of
   * {@link #encodeStateAsUpdate()} lists for this client (pending deletions, waiting for structs
   * this document has not received, do not count; neither do ids beyond {@link #state}). An empty
   * range is covered.
   *
   * <p>Reads the store without encoding or splitting anything: O(log structs) to find the first
   * struct plus one step per struct inside the range, stopping at the first one that is not
   * deleted; so asking about an update's deletions costs what the update names, not the whole
   * document (which {@code Updates.decodeUpdate(encodeStateAsUpdate()).deleteSet()} would).
   */
  public boolean isDeleted(long client, long clock, long len) {
    if (clock < 0 || len < 0) {
      throw new IllegalArgumentException("negative clock or length: " + clock + "+" + len);
    }
    if (len == 0) {
      return true;
    }
    ArrayList<DocStruct> structs = store.structs(client);
    long state = store.getState(client);
    // len > state - clock rather than clock + len > state: a caller's clock + len may overflow
    if (structs == null || len > state - clock || clock < structs.get(0).clock) {
      return false;
    }
    long end = clock + len;
    // a client's structs are contiguous (addStruct refuses gaps), so walking them covers the range
    for (int i = StructStore.findIndexSS(structs, clock); ; i++) {
      DocStruct s = structs.get(i);
      if (!s.isDeleted()) {
        return false;
      }
      if (s.clock + s.length >= end) {
        return true;
      }
    }
  }

  /**
   * Whether this document's delete set (as {@link #isDeleted} reads it) covers every range of
   * {@code ds}: applying those deletions here would delete nothing new. Costs {@link #isDeleted}
   * per range of {@code ds}.
   */
  public boolean coversDeleteSet(DeleteSet ds) {
    for (long client : ds.clients()) {
      DeleteSet.Ranges r = ds.ranges(client);
      for (int i = 0; i < r.size(); i++) {
        if (!isDeleted(client, r.clock(i), r.len(i))) {
          return false;
        }
      }
    }
    return true;
  }

  public byte[] encodeStateAsUpdate() {
    return encodeStateAsUpdate(null, false);
  }

  public byte[] encodeStateAsUpdate(byte[] targetStateVector) {
    return encodeStateAsUpdate(targetStateVector, false);
  }

  public byte[] encodeStateAsUpdateV2() {
    return encodeStateAsUpdate(null, true);
  }

  public byte[] encodeStateAsUpdateV2(byte[] targetStateVector) {
    return encodeStateAsUpdate(targetStateVector, true);
  }

  private byte[] encodeStateAsUpdate(byte[] sv, boolean v2) {
    byte[] svBytes = sv == null ? new byte[] {0} : sv;
    Map<Long, Long> target = Updates.decodeStateVector(svBytes);
    // v1: start from the size of the last full encoding (saves regrowing the buffer)
    UpdateEncoder enc = v2 ? new UpdateEncoderV2() : new UpdateEncoderV1(Math.max(256, lastV1Size + lastV1Size / 8));
    writeClientsStructs(enc, store, target);
    deleteSetFromStore().write(enc);
    byte[] first = enc.toByteArray();
    if (!v2 && sv == null) {
      lastV1Size = first.length;
    }
    List<byte[]> updates = new ArrayList<>(3);
    updates.add(first);
    if (store.pendingDs != null) {
      updates.add(store.pendingDs);
    }
    if (store.pendingStructs != null) {
      updates.add(Updates.diffUpdateV2(store.pendingStructs.update, svBytes));
    }
    if (updates.size() > 1) {
      if (!v2) {
        for (int i = 1; i < updates.size(); i++) {
          updates.set(i, Updates.convertUpdateFormatV2ToV1(updates.get(i)));
        }
        return Updates.mergeUpdates(updates);
      }
      return Updates.mergeUpdatesV2(updates);
    }
    return first;
  }

  /** Counts of what the struct store holds (for diagnostics and memory figures). */
  public record StoreStats(int clients, long structs, long items, long deletedItems, long gcs) {}

  public StoreStats storeStats() {
    long structs = 0;
    long items = 0;
    long deleted = 0;
    long gcs = 0;
    for (ArrayList<DocStruct> l : store.clients.values()) {
      structs += l.size();
      for (DocStruct s : l) {
        if (s instanceof DocItem it) {
          items++;
          if (it.isDeleted()) {
            deleted++;
          }
        } else if (s instanceof DocGC) {
          gcs++;
        }
      }
    }
    return new StoreStats(store.clients.size(), structs, items, deleted, gcs);
  }

  /** Whether structs or deletions wait for missing updates. */
  public boolean hasPending() {
    return store.pendingStructs != null || store.pendingDs != null;
  }

  // ------------------------------------------------------------------ applying updates

  public void applyUpdate(byte[] update) {
    applyUpdate(update, null);
  }

  /**
   * Applies a v1 update. All-or-nothing: a malformed or structurally impossible update throws
   * {@link MalformedDataException} and leaves the document unchanged.
   */
  public void applyUpdate(byte[] update, Object origin) {
    apply(Updates.decodeUpdate(update), origin);
  }

  public void applyUpdateV2(byte[] update) {
    applyUpdateV2(update, null);
  }

  public void applyUpdateV2(byte[] update, Object origin) {
    apply(Updates.decodeUpdateV2(update), origin);
  }

  private void apply(DecodedUpdate u, Object origin) {
    UpdateIntegrator.validate(this, u);
    transact(
        tr -> {
          tr.local = false;
          UpdateIntegrator.readUpdate(tr, u);
          return null;
        },
        origin,
        false);
  }

  @Override
  public String toString() {
    return "Doc(" + clientId + ", " + guid + ")";
  }
}
