package dev.tandem.crdt.update;

import dev.tandem.crdt.struct.ID;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deleted id ranges per client (Yjs's DeleteSet). Clients keep insertion order in memory but
 * are always written sorted by client id, descending, as Yjs does. Ranges of a client are kept
 * as appended until {@link #sortAndMerge()}.
 */
public final class DeleteSet {
  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  /** The ranges of one client: parallel clock/length arrays. */
  public static final class Ranges {
    private long[] clocks = new long[2];
    private long[] lens = new long[2];
    private int size;

    public int size() {
      return size;
    }

    public long clock(int i) {
      return clocks[i];
    }

    public long len(int i) {
      return lens[i];
    }

    /** Appends a range (unsorted until {@link DeleteSet#sortAndMerge()}). */
    public void add(long clock, long len) {
      if (size == clocks.length) {
        clocks = Arrays.copyOf(clocks, size * 2);
        lens = Arrays.copyOf(lens, size * 2);
      }
      clocks[size] = clock;
      lens[size] = len;
      size++;
    }

    /** Sorts by clock and merges overlapping or adjacent ranges (Yjs's sortAndMergeDeleteSet). */
    void sortAndMerge() {
      if (size > 1 && !sorted()) {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
          order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(clocks[a], clocks[b]));
        long[] c = new long[size];
        long[] l = new long[size];
        for (int i = 0; i < size; i++) {
          c[i] = clocks[order[i]];
          l[i] = lens[order[i]];
        }
        clocks = c;
        lens = l;
      }
      int j = 1;
      for (int i = 1; i < size; i++) {
        long leftEnd = clocks[j - 1] + lens[j - 1];
        if (leftEnd >= clocks[i]) {
          lens[j - 1] = Math.max(lens[j - 1], clocks[i] + lens[i] - clocks[j - 1]);
        } else {
          clocks[j] = clocks[i];
          lens[j] = lens[i];
          j++;
        }
      }
      size = Math.min(size, j);
    }

    private boolean sorted() {
      for (int i = 1; i < size; i++) {
        if (clocks[i] < clocks[i - 1]) {
          return false;
        }
      }
      return true;
    }

    /** Index of the range containing {@code clock} (ranges must be sorted), or -1. */
    public int find(long clock) {
      int lo = 0;
      int hi = size - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (clocks[mid] <= clock) {
          if (clock < clocks[mid] + lens[mid]) {
            return mid;
          }
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return -1;
    }
  }

  private final Map<Long, Ranges> clients = new LinkedHashMap<>();

  /** Cache of the last client added to (deletions come in runs of one client). */
  private long lastClient = -1;
  private Ranges lastRanges;

  public void add(long client, long clock, long len) {
    rangesFor(client).add(clock, len);
  }

  /** The ranges of {@code client}, created when absent. */
  public Ranges rangesFor(long client) {
    if (client == lastClient) {
      return lastRanges;
    }
    Ranges r = clients.get(client);
    if (r == null) {
      r = new Ranges();
      clients.put(client, r);
    }
    lastClient = client;
    lastRanges = r;
    return r;
  }

  public Set<Long> clients() {
    return Collections.unmodifiableSet(clients.keySet());
  }

  /** The ranges of {@code client}, or null. */
  public Ranges ranges(long client) {
    return clients.get(client);
  }

  public boolean isEmpty() {
    return clients.isEmpty();
  }

  public void sortAndMerge() {
    for (Ranges r : clients.values()) {
      r.sortAndMerge();
    }
  }

  /** Whether {@code id} is deleted; requires {@link #sortAndMerge()} order. */
  public boolean isDeleted(ID id) {
    Ranges r = clients.get(id.client());
    return r != null && r.find(id.clock()) >= 0;
  }

  /** Union of delete sets, sorted and merged (Yjs's mergeDeleteSets gives the same result). */
  public static DeleteSet merge(List<DeleteSet> sets) {
    DeleteSet merged = new DeleteSet();
    for (DeleteSet ds : sets) {
      for (Map.Entry<Long, Ranges> e : ds.clients.entrySet()) {
        Ranges from = e.getValue();
        Ranges to = merged.clients.computeIfAbsent(e.getKey(), c -> new Ranges());
        for (int i = 0; i < from.size; i++) {
          to.add(from.clocks[i], from.lens[i]);
        }
      }
    }
    merged.sortAndMerge();
    return merged;
  }

  /** Writes clients in descending id order, ranges as stored. */
  public void write(DsEncoder encoder) {
    List<Long> ids = new ArrayList<>(clients.keySet());
    ids.sort(Collections.reverseOrder());
    encoder.rest().writeVarUint(ids.size());
    for (Long client : ids) {
      Ranges r = clients.get(client);
      encoder.resetDsCurVal();
      encoder.rest().writeVarUint(client);
      encoder.rest().writeVarUint(r.size);
      for (int i = 0; i < r.size; i++) {
        encoder.writeDsClock(r.clocks[i]);
        encoder.writeDsLen(r.lens[i]);
      }
    }
  }

  /**
   * Reads a delete set. Like Yjs, a client listed with no ranges is dropped and a client
   * listed twice gets both lists concatenated. Stricter than Yjs, ranges must be non-empty
   * and ascending without overlap (Yjs only ever writes such sets, and re-encoding anything
   * else as v2 would produce garbage).
   */
  public static DeleteSet read(DsDecoder decoder) {
    DeleteSet ds = new DeleteSet();
    var rest = decoder.rest();
    int numClients = rest.readCount(2);
    for (int i = 0; i < numClients; i++) {
      decoder.resetDsCurVal();
      long client = rest.readVarUint();
      int n = rest.readCount(2);
      if (n == 0) {
        continue;
      }
      Ranges r = ds.clients.computeIfAbsent(client, c -> new Ranges());
      for (int k = 0; k < n; k++) {
        int at = rest.errorOffset();
        long clock = decoder.readDsClock();
        long len = decoder.readDsLen();
        if (len < 1 || clock + len > MAX_SAFE_INTEGER) {
          throw new dev.tandem.crdt.MalformedDataException("bad delete range length " + len, at);
        }
        if (r.size > 0 && clock < r.clocks[r.size - 1] + r.lens[r.size - 1]) {
          throw new dev.tandem.crdt.MalformedDataException(
              "delete ranges not ascending or overlapping", at);
        }
        r.add(clock, len);
      }
    }
    return ds;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("DeleteSet{");
    for (Map.Entry<Long, Ranges> e : clients.entrySet()) {
      b.append(e.getKey()).append(":[");
      Ranges r = e.getValue();
      for (int i = 0; i < r.size; i++) {
        b.append(i > 0 ? " " : "").append(r.clocks[i]).append('+').append(r.lens[i]);
      }
      b.append("] ");
    }
    return b.append('}').toString();
  }
}
