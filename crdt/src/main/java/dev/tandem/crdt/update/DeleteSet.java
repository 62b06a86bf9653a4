package dev.tandem.crdt.update;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.lib0.Lib0Decoder;
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

    /** Makes room for {@code more} ranges at once (a decoder knows how many follow). */
    void reserve(int more) {
      int need = size + more;
      if (need > clocks.length) {
        clocks = Arrays.copyOf(clocks, need);
        lens = Arrays.copyOf(lens, need);
      }
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
        sortByClock();
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

    /**
     * Sorts the ranges by clock without boxing: clocks are below 2^53, so a (clock, index) pair
     * would not fit one long in general; instead sort a copy of the clocks and, when clocks
     * are distinct (always, for ranges Yjs produces), map each back through a binary search.
     * Equal clocks (possible in merged sets) fall back to a stable index sort.
     */
    private void sortByClock() {
      long[] sortedClocks = Arrays.copyOf(clocks, size);
      Arrays.sort(sortedClocks);
      boolean distinct = true;
      for (int i = 1; i < size; i++) {
        if (sortedClocks[i] == sortedClocks[i - 1]) {
          distinct = false;
          break;
        }
      }
      long[] l = new long[size];
      if (distinct) {
        for (int i = 0; i < size; i++) {
          l[Arrays.binarySearch(sortedClocks, clocks[i])] = lens[i];
        }
      } else {
        // insertion order among equal clocks kept, as a stable sort would
        int[] next = new int[size];
        for (int i = 0; i < size; i++) {
          int k = Arrays.binarySearch(sortedClocks, clocks[i]);
          while (k > 0 && sortedClocks[k - 1] == clocks[i]) {
            k--;
          }
          next[i] = k;
        }
        boolean[] taken = new boolean[size];
        for (int i = 0; i < size; i++) {
          int k = next[i];
          while (taken[k]) {
            k++;
          }
          taken[k] = true;
          l[k] = lens[i];
        }
      }
      clocks = sortedClocks;
      lens = l;
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
  /** The ranges {@link #add} appended to last, to skip the map (and boxing) for runs of one client. */
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
        Ranges to = merged.rangesFor(e.getKey());
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
    long[] ids = new long[clients.size()];
    int k = 0;
    for (Long client : clients.keySet()) {
      ids[k++] = client;
    }
    if (k > 1) {
      Arrays.sort(ids);
    }
    encoder.rest().writeVarUint(k);
    for (int j = k - 1; j >= 0; j--) {
      long client = ids[j];
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
      Ranges r = ds.rangesFor(client);
      r.reserve(n); // n is bounded by the bytes left (readCount), so this cannot be made huge
      for (int k = 0; k < n; k++) {
        int at = rest.errorOffset();
        long clock = decoder.readDsClock();
        long len = decoder.readDsLen();
        if (len < 1 || clock + len > Lib0Decoder.MAX_SAFE_INTEGER) {
          throw new MalformedDataException("bad delete range length " + len, at);
        }
        if (r.size > 0 && clock < r.clocks[r.size - 1] + r.lens[r.size - 1]) {
          throw new MalformedDataException(
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
