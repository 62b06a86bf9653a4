package dev.tandem.crdt.update;

import dev.tandem.crdt.struct.AbstractStruct;
import dev.tandem.crdt.struct.ID;
import dev.tandem.crdt.struct.Skip;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

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

  private static int compare(Source a, Source b) {
    AbstractStruct x = a.curr();
    AbstractStruct y = b.curr();
    long cx = x.id().client();
    long cy = y.id().client();
    if (cx != cy) {
      return Long.compare(cy, cx);
    }
    long kx = x.id().clock();
    long ky = y.id().clock();
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
    return Guard.run(() -> mergeMany(updates, format));
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
    stamp = 0;
    UpdateEncoder encoder = format.encoder();
    StructWriter writer = new StructWriter(encoder);
    AbstractStruct currWrite = null;

    Source top;
    while ((top = queue.poll()) != null) {
      StructReader dec = top.reader;
      long firstClient = dec.curr().id().client();
      boolean proceed = true;
      if (currWrite != null) {
        AbstractStruct curr = dec.curr();
        boolean iterated = false;
        // skip what was written already (higher clients are written first)
        while (curr != null
            && curr.endClock() <= currWrite.endClock()
            && curr.id().client() >= currWrite.id().client()) {
          curr = dec.next();
          iterated = true;
        }
        if (curr == null
            || curr.id().client() != firstClient
            || (iterated && curr.id().clock() > currWrite.endClock())) {
          // another reader may now hold this client's next struct: re-sort first
          proceed = false;
        } else if (firstClient != currWrite.id().client()) {
          writer.write(currWrite, 0);
          currWrite = curr;
          dec.next();
        } else if (currWrite.endClock() < curr.id().clock()) {
          // a gap: remember it as a Skip (or widen the pending Skip over curr, as Yjs does)
          if (currWrite instanceof Skip skip) {
            skip.setLength(curr.endClock() - skip.id().clock());
          } else {
            writer.write(currWrite, 0);
            long diff = curr.id().clock() - currWrite.endClock();
            currWrite = new Skip(new ID(firstClient, currWrite.endClock()), diff);
          }
        } else {
          long diff = currWrite.endClock() - curr.id().clock();
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
                && next.id().client() == firstClient
                && next.id().clock() == currWrite.endClock()
                && !(next instanceof Skip);
            next = dec.next()) {
          writer.write(currWrite, 0);
          currWrite = next;
        }
      }
      if (dec.curr() != null) {
        top.stamp = ++stamp;
        queue.add(top);
      }
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
