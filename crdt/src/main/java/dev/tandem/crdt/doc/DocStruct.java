package dev.tandem.crdt.doc;

import dev.tandem.crdt.struct.ID;
import dev.tandem.crdt.update.UpdateEncoder;

/** A run of clock values of one client inside a {@link Doc}'s struct store: an item or a GC range. */
public abstract sealed class DocStruct permits DocItem, DocGC, DocSkip {
  final long client;
  long clock;
  long length;

  DocStruct(long client, long clock, long length) {
    this.client = client;
    this.clock = clock;
    this.length = length;
  }

  public final long client() {
    return client;
  }

  public final long clock() {
    return clock;
  }

  public final long length() {
    return length;
  }

  public final ID id() {
    return new ID(client, clock);
  }

  abstract boolean isDeleted();

  abstract void write(UpdateEncoder encoder, long offset);
}
