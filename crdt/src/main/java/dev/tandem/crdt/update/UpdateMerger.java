package dev.tandem.crdt.update;

import dev.tandem.crdt.struct.AbstractStruct;
import dev.tandem.crdt.struct.GC;
import dev.tandem.crdt.struct.ID;
import dev.tandem.crdt.struct.Item;
import dev.tandem.crdt.struct.Skip;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Yjs's mergeUpdatesV2 without its quadratic cost.
 *
 * <p>Yjs keeps one lazy reader per update and, before every step, stable-sorts all readers by
 * their current struct (client descending, then clock ascending) and works on the first. Only
 * that first reader ever advances within a step, so the sorted order can be kept in a priority
 * queue. Ties (same client and clock) are where the stable sort's history matters: the reader
 * just worked on was in front of every other reader, so after it advances it stays in front of
 * the readers it now ties with. Initially ties are in input order. A stamp reproduces exactly
 * this: input order gives decreasing initial stamps, and each re-queued reader gets a stamp
 * above all others; among ties the highest stamp wins.
 *
 * <p>Known divergence: Yjs's comparator is not consistent when an Item and a GC start at the
 * same id (it answers "less" both ways), so V8's sort then orders them by its internal compare
 * sequence. We treat them as tied. This needs two inputs that disagree about whether the same
 * id was garbage-collected.
 */
final class UpdateMerger {
  private UpdateMerger() {}

  private static final class Source {
    final StructReader reader;
    long stamp;

    Source(StructReader reader, long stamp) {
      this.reader = reader;
      this.stamp = stamp;
    }

    AbstractStruct curr() {
      return reader.curr();
    }
  }

  /** The reader order of Yjs's sort: which reader to work on next. */
  private interface Order {
    /** The first reader in Yjs's order, or null when all are exhausted. */
    Source first();

    /** Called after working on {@code s} (which may have advanced). */
    void done(Source s);
  }

  /** The fast path: a priority queue with stamps (see class comment). */
  private static final class QueueOrder implements Order {
    private final PriorityQueue<Source> queue;
    private long stamp;

    QueueOrder(PriorityQueue<Source> queue) {
      this.queue = queue;
    }

    @Override
    public Source first() {
      return queue.poll();
    }

    @Override
    public void done(Source s) {
      if (s.curr() != null) {
        s.stamp = ++stamp;
        queue.add(s);
      }
    }
  }

  /**
   * Yjs's literal algorithm: drop exhausted readers, then sort all readers with Yjs's own
   * comparator using a replica of V8's sort. Linear per step; used only when the inputs contain
   * an Item and a GC starting at the same id, where the comparator is inconsistent.
   */
  private static final class V8Order implements Order {
    private Source[] readers;

    V8Order(PriorityQueue<Source> queue) {
      List<Source> inInputOrder = new ArrayList<>(queue);
      inInputOrder.sort((a, b) -> Long.compare(b.stamp, a.stamp));
      readers = inInputOrder.toArray(new Source[0]);
    }

    @Override
    public Source first() {
      int n = 0;
      for (Source s : readers) {
        if (s.curr() != null) {
          readers[n++] = s;
        }
      }
      if (n == 0) {
        return null;
      }
      if (n < readers.length) {
        readers = Arrays.copyOf(readers, n);
      }
      V8ArraySort.sort(readers, UpdateMerger::yjsCompare);
      return readers[0];
    }

    @Override
    public void done(Source s) {}
  }

  /** Yjs's comparator, verbatim, including its asymmetric answer for Item vs GC. */
  private static int yjsCompare(Source a, Source b) {
    AbstractStruct x = a.curr();
    AbstractStruct y = b.curr();
    if (x.client() == y.client()) {
      long clockDiff = x.clock() - y.clock();
      if (clockDiff == 0) {
        return x.getClass() == y.getClass() ? 0 : (x instanceof Skip ? 1 : -1);
      }
      return clockDiff < 0 ? -1 : 1;
    }
    return y.client() < x.client() ? -1 : 1;
  }

  /**
   * True when some input has a GC starting at an id where another input has an Item: only
   * then can Yjs's comparator contradict itself.
   */
  private static boolean exactOrderNeeded(List<byte[]> updates, UpdateFormat format) {
    Set<ID> gcStarts = new HashSet<>();
    for (byte[] u : updates) {
      StructReader r = new StructReader(format.decoder(u), u.length, false, true);
      for (AbstractStruct s = r.curr(); s != null; s = r.next()) {
        if (s instanceof GC) {
          gcStarts.add(s.id());
        }
      }
    }
    if (gcStarts.isEmpty()) {
      return false;
    }
    for (byte[] u : updates) {
      StructReader r = new StructReader(format.decoder(u), u.length, false, true);
      for (AbstractStruct s = r.curr(); s != null; s = r.next()) {
        if (s instanceof Item && gcStarts.contains(s.id())) {
          return true;
        }
      }
    }
    return false;
  }

  private static int compare(Source a, Source b) {
    AbstractStruct x = a.curr();
    AbstractStruct y = b.curr();
    long cx = x.client();
    long cy = y.client();
    if (cx != cy) {
      return Long.compare(cy, cx);
    }
    long kx = x.clock();
    long ky = y.clock();
    if (kx != ky) {
      return Long.compare(kx, ky);
    }
    return Long.compare(b.stamp, a.stamp);
  }

  static byte[] merge(List<byte[]> updates, UpdateFormat format) {
    if (updates.size() == 1) {
      // Yjs returns the single update untouched; we still insist that it is well-formed.
      UpdateCodec.decode(updates.get(0), format);
      return updates.get(0);
    }
    try {
      return mergeMany(updates, format);
    } catch (RuntimeException e) {
      throw Guard.translate(e);
    }
  }

  private static byte[] mergeMany(List<byte[]> updates, UpdateFormat format) {
    List<UpdateDecoder> decoders = new ArrayList<>(updates.size());
    PriorityQueue<Source> queue =
        new PriorityQueue<>(Math.max(1, updates.size()), UpdateMerger::compare);
    long stamp = 0;
    for (byte[] update : updates) {
      UpdateDecoder d = format.decoder(update);
      decoders.add(d);
      Source s = new Source(new StructReader(d, update.length, false, true), --stamp);
      if (s.curr() != null) {
        queue.add(s);
      }
    }
    UpdateEncoder encoder = format.encoder();
    StructWriter writer = new StructWriter(encoder);
    AbstractStruct currWrite = null;

    Order order = exactOrderNeeded(updates, format) ? new V8Order(queue) : new QueueOrder(queue);
    Source top;
    while ((top = order.first()) != null) {
      StructReader dec = top.reader;
      long firstClient = dec.curr().client();
      boolean proceed = true;
      if (currWrite != null) {
        AbstractStruct curr = dec.curr();
        boolean iterated = false;
        // skip what was written already (higher clients are written first)
        while (curr != null
            && curr.endClock() <= currWrite.endClock()
            && curr.client() >= currWrite.client()) {
          curr = dec.next();
          iterated = true;
        }
        if (curr == null
            || curr.client() != firstClient
            || (iterated && curr.clock() > currWrite.endClock())) {
          // another reader may now hold this client's next struct: re-sort first
          proceed = false;
        } else if (firstClient != currWrite.client()) {
          writer.write(currWrite, 0);
          currWrite = curr;
          dec.next();
        } else if (currWrite.endClock() < curr.clock()) {
          // a gap: remember it as a Skip (or widen the pending Skip over curr, as Yjs does)
          if (currWrite instanceof Skip skip) {
            skip.setLength(curr.endClock() - skip.clock());
          } else {
            writer.write(currWrite, 0);
            long diff = curr.clock() - currWrite.endClock();
            currWrite = new Skip(firstClient, currWrite.endClock(), diff);
          }
        } else {
          long diff = currWrite.endClock() - curr.clock();
          if (diff > 0) {
            if (currWrite instanceof Skip skip) {
              // prefer cutting the Skip: the other struct carries information
              skip.setLength(skip.length() - diff);
            } else {
              curr = curr.sliceFrom(diff);
            }
          }
          if (!currWrite.mergeWith(curr)) {
            writer.write(currWrite, 0);
            currWrite = curr;
            dec.next();
          }
        }
      } else {
        currWrite = dec.curr();
        dec.next();
      }
      if (proceed) {
        for (AbstractStruct next = dec.curr();
            next != null
                && next.client() == firstClient
                && next.clock() == currWrite.endClock()
                && !(next instanceof Skip);
            next = dec.next()) {
          writer.write(currWrite, 0);
          currWrite = next;
        }
      }
      order.done(top);
    }
    if (currWrite != null) {
      writer.write(currWrite, 0);
    }
    writer.finish();

    List<DeleteSet> sets = new ArrayList<>(decoders.size());
    for (UpdateDecoder d : decoders) {
      sets.add(DeleteSet.read(d));
      d.finish();
    }
    DeleteSet.merge(sets).write(encoder);
    return encoder.toByteArray();
  }
}
