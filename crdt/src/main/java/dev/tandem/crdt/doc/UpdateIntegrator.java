package dev.tandem.crdt.doc;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.struct.AbstractStruct;
import dev.tandem.crdt.struct.Content;
import dev.tandem.crdt.struct.ContentDeleted;
import dev.tandem.crdt.struct.ContentType;
import dev.tandem.crdt.struct.GC;
import dev.tandem.crdt.struct.ID;
import dev.tandem.crdt.struct.Item;
import dev.tandem.crdt.struct.Skip;
import dev.tandem.crdt.update.ClientStructs;
import dev.tandem.crdt.update.DecodedUpdate;
import dev.tandem.crdt.update.DeleteSet;
import dev.tandem.crdt.update.UpdateEncoderV2;
import dev.tandem.crdt.update.Updates;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Yjs's readUpdateV2 / integrateStructs / readAndApplyDeleteSet, plus up-front validation. */
final class UpdateIntegrator {
  private UpdateIntegrator() {}

  private static final class Refs {
    int i;
    DocStruct[] refs;

    Refs(DocStruct[] refs) {
      this.refs = refs;
    }
  }

  private record Rest(Map<Long, Long> missing, byte[] update) {}

  // ------------------------------------------------------------------ validation

  /**
   * Rejects updates that cannot be integrated without breaking the document: references to a
   * later clock of the same client (Yjs would fail half-way), and parents that are known not to
   * be shared types. Everything else Yjs integrates without error.
   */
  static void validate(Doc doc, DecodedUpdate u) {
    boolean parentIds = false;
    for (ClientStructs cs : u.clients()) {
      for (AbstractStruct s : cs.structs()) {
        if (s instanceof Item it) {
          long c = it.client();
          long k = it.clock();
          checkSelfRef(it, it.origin(), c, k, "origin");
          checkSelfRef(it, it.rightOrigin(), c, k, "right origin");
          checkSelfRef(it, it.parentId(), c, k, "parent");
          parentIds |= it.parentId() != null;
        }
      }
    }
    StructStore store = doc.store;
    if (!parentIds && store.pendingStructs == null) {
      return; // no parent to check (the common case: text and list edits)
    }
    Map<Long, List<AbstractStruct>> byClient = new HashMap<>();
    for (ClientStructs cs : u.clients()) {
      byClient.put(cs.client(), cs.structs());
    }
    Map<Long, List<AbstractStruct>> pending = null;
    if (store.pendingStructs != null) {
      pending = new HashMap<>();
      for (ClientStructs cs : Updates.decodeUpdateV2(store.pendingStructs.update).clients()) {
        pending.put(cs.client(), cs.structs());
      }
    }
    for (ClientStructs cs : u.clients()) {
      for (AbstractStruct s : cs.structs()) {
        if (s instanceof Item it && it.parentId() != null) {
          checkParent(store, it, byClient, pending);
        }
      }
    }
    if (pending != null) {
      for (List<AbstractStruct> structs : pending.values()) {
        for (AbstractStruct s : structs) {
          if (s instanceof Item it && it.parentId() != null) {
            checkParent(store, it, byClient, pending);
          }
        }
      }
    }
  }

  private static void checkSelfRef(Item it, ID ref, long client, long clock, String what) {
    if (ref != null && ref.client() == client && ref.clock() >= clock) {
      throw new MalformedDataException(
          "item " + it.id() + " refers to its own client's future clock " + ref.clock() + " as " + what, -1);
    }
  }

  private static void checkParent(
      StructStore store, Item it, Map<Long, List<AbstractStruct>> update, Map<Long, List<AbstractStruct>> pending) {
    ID p = it.parentId();
    if (p.clock() < store.getState(p.client())) {
      DocStruct s = store.find(p);
      if (s instanceof DocItem di && !(di.content instanceof TypeContent) && !(di.content instanceof ContentDeleted)) {
        throw notAType(it);
      }
      return;
    }
    AbstractStruct w = findWire(update.get(p.client()), p.clock());
    if (w == null && pending != null) {
      w = findWire(pending.get(p.client()), p.clock());
    }
    if (w instanceof Item wi) {
      Content c = wi.content();
      if (!(c instanceof ContentType) && !(c instanceof ContentDeleted)) {
        throw notAType(it);
      }
    }
  }

  private static MalformedDataException notAType(Item it) {
    return new MalformedDataException("parent of item " + it.id() + " is not a shared type", -1);
  }

  private static AbstractStruct findWire(List<AbstractStruct> structs, long clock) {
    if (structs == null) {
      return null;
    }
    int lo = 0;
    int hi = structs.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      AbstractStruct s = structs.get(mid);
      if (s.clock() <= clock) {
        if (clock < s.endClock()) {
          return s;
        }
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ reading

  private static LinkedHashMap<Long, Refs> readClientsStructRefs(Doc doc, DecodedUpdate u) {
    LinkedHashMap<Long, Refs> clientRefs = new LinkedHashMap<>();
    for (ClientStructs cs : u.clients()) {
      List<AbstractStruct> structs = cs.structs();
      DocStruct[] refs = new DocStruct[structs.size()];
      long client = cs.client();
      for (int i = 0; i < refs.length; i++) {
        refs[i] = toDoc(doc, client, structs.get(i));
      }
      clientRefs.put(client, new Refs(refs));
    }
    return clientRefs;
  }

  private static DocStruct toDoc(Doc doc, long client, AbstractStruct s) {
    long clock = s.clock();
    if (s instanceof GC) {
      return new DocGC(client, clock, s.length());
    }
    if (s instanceof Skip) {
      return new DocSkip(client, clock, s.length());
    }
    Item it = (Item) s;
    Content c = it.content();
    if (c instanceof ContentType ct) {
      c = TypeContent.fromWire(ct);
    }
    DocItem d =
        new DocItem(
            client,
            clock,
            null,
            it.origin(),
            null,
            it.rightOrigin(),
            it.parentKey() != null ? doc.get(it.parentKey()) : null,
            it.parentSub(),
            c);
    d.parentId = it.parentId();
    return d;
  }

  static void readUpdate(Transaction tr, DecodedUpdate u) {
    Doc doc = tr.doc;
    StructStore store = doc.store;
    LinkedHashMap<Long, Refs> ss = readClientsStructRefs(doc, u);
    Rest rest = integrateStructs(tr, store, ss);
    StructStore.PendingStructs pending = store.pendingStructs;
    boolean retry = false;
    if (pending != null) {
      for (Map.Entry<Long, Long> e : pending.missing.entrySet()) {
        if (e.getValue() < store.getState(e.getKey())) {
          retry = true;
          break;
        }
      }
      if (rest != null) {
        for (Map.Entry<Long, Long> e : rest.missing.entrySet()) {
          Long m = pending.missing.get(e.getKey());
          if (m == null || m > e.getValue()) {
            pending.missing.put(e.getKey(), e.getValue());
          }
        }
        pending.update = Updates.mergeUpdatesV2(List.of(pending.update, rest.update));
      }
    } else if (rest != null) {
      store.pendingStructs = new StructStore.PendingStructs(rest.missing, rest.update);
    }
    byte[] dsRest = readAndApplyDeleteSet(tr, store, u.deleteSet());
    if (store.pendingDs != null) {
      DeleteSet pds = Updates.decodeUpdateV2(store.pendingDs).deleteSet();
      byte[] dsRest2 = readAndApplyDeleteSet(tr, store, pds);
      if (dsRest != null && dsRest2 != null) {
        store.pendingDs = Updates.mergeUpdatesV2(List.of(dsRest, dsRest2));
      } else {
        store.pendingDs = dsRest != null ? dsRest : dsRest2;
      }
    } else {
      store.pendingDs = dsRest;
    }
    if (retry) {
      byte[] update = store.pendingStructs.update;
      store.pendingStructs = null;
      readUpdate(tr, Updates.decodeUpdateV2(update));
    }
  }

  private static Rest integrateStructs(Transaction tr, StructStore store, LinkedHashMap<Long, Refs> clientsStructRefs) {
    ArrayList<DocStruct> stack = new ArrayList<>();
    ArrayList<Long> ids = new ArrayList<>(clientsStructRefs.keySet());
    ids.sort(null);
    if (ids.isEmpty()) {
      return null;
    }
    Refs cur = nextTarget(ids, clientsStructRefs);
    if (cur == null) {
      return null;
    }
    LinkedHashMap<Long, List<DocStruct>> restStructs = new LinkedHashMap<>();
    LinkedHashMap<Long, Long> missingSV = new LinkedHashMap<>();
    DocStruct stackHead = cur.refs[cur.i++];
    HashMap<Long, Long> state = new HashMap<>();
    while (true) {
      if (!(stackHead instanceof DocSkip)) {
        final long headClient = stackHead.client;
        Long cached = state.get(headClient);
        long localClock = cached != null ? cached : store.getState(headClient);
        if (cached == null) {
          state.put(headClient, localClock);
        }
        long offset = localClock - stackHead.clock;
        if (offset < 0) {
          stack.add(stackHead);
          updateMissing(missingSV, headClient, stackHead.clock - 1);
          addStackToRest(stack, clientsStructRefs, restStructs, ids);
        } else {
          long missing = stackHead instanceof DocItem it ? it.getMissing(tr, store) : -1;
          if (missing != -1) {
            stack.add(stackHead);
            Refs structRefs = clientsStructRefs.get(missing);
            if (structRefs == null || structRefs.refs.length == structRefs.i) {
              updateMissing(missingSV, missing, store.getState(missing));
              addStackToRest(stack, clientsStructRefs, restStructs, ids);
            } else {
              stackHead = structRefs.refs[structRefs.i++];
              continue;
            }
          } else if (offset == 0 || offset < stackHead.length) {
            if (stackHead instanceof DocItem it) {
              it.integrate(tr, offset);
            } else {
              ((DocGC) stackHead).integrate(tr, offset);
            }
            state.put(headClient, stackHead.clock + stackHead.length);
          }
        }
      }
      if (!stack.isEmpty()) {
        stackHead = stack.remove(stack.size() - 1);
      } else if (cur != null && cur.i < cur.refs.length) {
        stackHead = cur.refs[cur.i++];
      } else {
        cur = nextTarget(ids, clientsStructRefs);
        if (cur == null) {
          break;
        }
        stackHead = cur.refs[cur.i++];
      }
    }
    if (!restStructs.isEmpty()) {
      UpdateEncoderV2 enc = new UpdateEncoderV2();
      enc.rest().writeVarUint(restStructs.size());
      List<Long> clients = new ArrayList<>(restStructs.keySet());
      clients.sort(java.util.Collections.reverseOrder());
      for (Long client : clients) {
        List<DocStruct> structs = restStructs.get(client);
        Doc.writeStructs(enc, new ArrayList<>(structs), client, 0);
      }
      enc.rest().writeVarUint(0);
      return new Rest(missingSV, enc.toByteArray());
    }
    return null;
  }

  private static void updateMissing(Map<Long, Long> missingSV, long client, long clock) {
    Long m = missingSV.get(client);
    if (m == null || m > clock) {
      missingSV.put(client, clock);
    }
  }

  private static Refs nextTarget(ArrayList<Long> ids, Map<Long, Refs> clientsStructRefs) {
    if (ids.isEmpty()) {
      return null;
    }
    Refs next = clientsStructRefs.get(ids.get(ids.size() - 1));
    while (next.refs.length == next.i) {
      ids.remove(ids.size() - 1);
      if (!ids.isEmpty()) {
        next = clientsStructRefs.get(ids.get(ids.size() - 1));
      } else {
        return null;
      }
    }
    return next;
  }

  private static void addStackToRest(
      ArrayList<DocStruct> stack,
      Map<Long, Refs> clientsStructRefs,
      Map<Long, List<DocStruct>> restStructs,
      ArrayList<Long> ids) {
    for (DocStruct item : stack) {
      long client = item.client;
      Refs inapplicable = clientsStructRefs.get(client);
      if (inapplicable != null) {
        inapplicable.i--;
        restStructs.put(client, Arrays.asList(Arrays.copyOfRange(inapplicable.refs, inapplicable.i, inapplicable.refs.length)));
        clientsStructRefs.remove(client);
        inapplicable.i = 0;
        inapplicable.refs = new DocStruct[0];
      } else {
        restStructs.put(client, List.of(item));
      }
      ids.removeIf(c -> c == client);
    }
    stack.clear();
  }

  private static byte[] readAndApplyDeleteSet(Transaction tr, StructStore store, DeleteSet ds) {
    DeleteSet unapplied = null;
    for (Long client : ds.clients()) {
      DeleteSet.Ranges r = ds.ranges(client);
      ArrayList<DocStruct> structs = store.structs(client);
      long state = store.getState(client);
      for (int k = 0; k < r.size(); k++) {
        long clock = r.clock(k);
        long clockEnd = clock + r.len(k);
        if (clock < state) {
          if (state < clockEnd) {
            unapplied = unapplied != null ? unapplied : new DeleteSet();
            unapplied.add(client, state, clockEnd - state);
          }
          int index = StructStore.findIndexSS(structs, clock);
          DocStruct struct = structs.get(index);
          if (!struct.isDeleted() && struct.clock < clock) {
            structs.add(index + 1, ((DocItem) struct).split(tr, clock - struct.clock));
            index++;
          }
          while (index < structs.size()) {
            struct = structs.get(index++);
            if (struct.clock < clockEnd) {
              if (!struct.isDeleted()) {
                DocItem it = (DocItem) struct;
                if (clockEnd < struct.clock + struct.length) {
                  structs.add(index, it.split(tr, clockEnd - struct.clock));
                }
                it.delete(tr);
              }
            } else {
              break;
            }
          }
        } else {
          unapplied = unapplied != null ? unapplied : new DeleteSet();
          unapplied.add(client, clock, clockEnd - clock);
        }
      }
    }
    if (unapplied != null && !unapplied.isEmpty()) {
      UpdateEncoderV2 enc = new UpdateEncoderV2();
      enc.rest().writeVarUint(0);
      unapplied.write(enc);
      return enc.toByteArray();
    }
    return null;
  }
}
