package dev.tandem.crdt.doc;

import dev.tandem.crdt.struct.AbstractStruct;
import dev.tandem.crdt.update.UpdateEncoder;

/** A garbage-collected range of ids (Yjs's GC struct). */
public final class DocGC extends DocStruct {
  DocGC(long client, long clock, long length) {
    super(client, clock, length);
  }

  @Override
  boolean isDeleted() {
    return true;
  }

  void integrate(Transaction tr, long offset) {
    if (offset > 0) {
      clock += offset;
      length -= offset;
    }
    tr.doc.store.addStruct(this);
  }

  @Override
  void write(UpdateEncoder encoder, long offset) {
    encoder.writeInfo(AbstractStruct.GC_REF);
    encoder.writeLen(length - offset);
  }

  @Override
  public String toString() {
    return "GC(" + client + ":" + clock + ", " + length + ")";
  }
}
