package dev.tandem.crdt.doc;

import dev.tandem.crdt.struct.ID;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Per-client lists of structs ordered by clock (Yjs's StructStore), plus pending updates. */
final class StructStore {
  final LinkedHashMap<Long, ArrayList<DocStruct>> clients = new LinkedHashMap<>();
  /** Structs waiting for missing dependencies: v2 update bytes plus the lowest missing clocks. */
  PendingStructs pendingStructs;
  /** Deletions of ranges not yet received, as a v2 update without structs. */
  byte[] pendingDs;

  static final class PendingStructs {
    final Map<Long, Long> missing;
    byte[] update;

    PendingStructs(Map<Long, Long> missing, byte[] update) {
      this.missing = missing;
      this.update = update;
    }
  }

  /** One-entry cache in front of {@link #clients} (entries are never removed or replaced). */
  private long cachedClient = -1;
  private ArrayList<DocStruct> cachedStructs;

  /** The structs of {@code client}, or null. */
  ArrayList<DocStruct> structs(long client) {
    if (client == cachedClient) {
      return cachedStructs;
    }
    ArrayList<DocStruct> structs = clients.get(client);
    if (structs != null) {
      cachedClient = client;
      cachedStructs = structs;
    }
    return structs;
  }

  long getState(long client) {
    ArrayList<DocStruct> structs = structs(client);
    if (structs == null) {
      return 0;
    }
    DocStruct last = structs.get(structs.size() - 1);
    return last.clock + last.length;
  }

  /** The state vector in client insertion order. */
  Map<Long, Long> getStateVector() {
    return fillStates(new LinkedHashMap<>(Math.max(4, clients.size() * 2)));
  }

  /** The state vector as a plain HashMap: a transaction's before-state, whose order nothing relies on. */
  HashMap<Long, Long> stateMap() {
    return fillStates(new HashMap<>(Math.max(4, clients.size() * 2)));
  }

  private <M extends Map<Long, Long>> M fillStates(M sv) {
    for (Map.Entry<Long, ArrayList<DocStruct>> e : clients.entrySet()) {
      ArrayList<DocStruct> s = e.getValue();
      DocStruct last = s.get(s.size() - 1);
      sv.put(e.getKey(), last.clock + last.length);
    }
    return sv;
  }

  void addStruct(DocStruct struct) {
    ArrayList<DocStruct> structs = structs(struct.client);
    if (structs == null) {
      structs = new ArrayList<>();
      clients.put(struct.client, structs);
    } else {
      DocStruct last = structs.get(structs.size() - 1);
      if (last.clock + last.length != struct.clock) {
        throw new IllegalStateException("struct store gap at " + struct.client + ":" + struct.clock);
      }
    }
    structs.add(struct);
  }

  /** Yjs's findIndexSS (same pivoting, so the same lookups). */
  static int findIndexSS(ArrayList<DocStruct> structs, long clock) {
    int left = 0;
    int right = structs.size() - 1;
    DocStruct mid = structs.get(right);
    long midclock = mid.clock;
    if (midclock == clock) {
      return right;
    }
    int midindex = (int) Math.floor(((double) clock / (double) (midclock + mid.length - 1)) * right);
    if (midindex < 0 || midindex > right) {
      midindex = (left + right) >>> 1;
    }
    while (left <= right) {
      mid = structs.get(midindex);
      midclock = mid.clock;
      if (midclock <= clock) {
        if (clock < midclock + mid.length) {
          return midindex;
        }
        left = midindex + 1;
      } else {
        right = midindex - 1;
      }
      midindex = (left + right) >>> 1;
    }
    throw new IllegalStateException("no struct at clock " + clock);
  }

  DocStruct find(ID id) {
    ArrayList<DocStruct> structs = structs(id.client());
    return structs.get(findIndexSS(structs, id.clock()));
  }

  static int findIndexCleanStart(Transaction tr, ArrayList<DocStruct> structs, long clock) {
    int index = findIndexSS(structs, clock);
    DocStruct s = structs.get(index);
    if (s.clock < clock && s instanceof DocItem it) {
      structs.add(index + 1, it.split(tr, clock - s.clock));
      return index + 1;
    }
    return index;
  }

  DocStruct getItemCleanStart(Transaction tr, ID id) {
    ArrayList<DocStruct> structs = structs(id.client());
    return structs.get(findIndexCleanStart(tr, structs, id.clock()));
  }

  DocItem getItemCleanStart(Transaction tr, long client, long clock) {
    ArrayList<DocStruct> structs = structs(client);
    return (DocItem) structs.get(findIndexCleanStart(tr, structs, clock));
  }

  DocStruct getItemCleanEnd(Transaction tr, ID id) {
    ArrayList<DocStruct> structs = structs(id.client());
    int index = findIndexSS(structs, id.clock());
    DocStruct s = structs.get(index);
    if (id.clock() != s.clock + s.length - 1 && s instanceof DocItem it) {
      structs.add(index + 1, it.split(tr, id.clock() - s.clock + 1));
    }
    return s;
  }

  void replaceStruct(DocStruct struct, DocStruct replacement) {
    ArrayList<DocStruct> structs = structs(struct.client);
    structs.set(findIndexSS(structs, struct.clock), replacement);
  }

  interface StructVisitor {
    void visit(DocStruct s);
  }

  static void iterateStructs(Transaction tr, ArrayList<DocStruct> structs, long clockStart, long len, StructVisitor f) {
    if (len == 0) {
      return;
    }
    long clockEnd = clockStart + len;
    int index = findIndexCleanStart(tr, structs, clockStart);
    DocStruct s;
    do {
      s = structs.get(index++);
      if (clockEnd < s.clock + s.length) {
        findIndexCleanStart(tr, structs, clockEnd);
      }
      f.visit(s);
    } while (index < structs.size() && structs.get(index).clock < clockEnd);
  }
}
