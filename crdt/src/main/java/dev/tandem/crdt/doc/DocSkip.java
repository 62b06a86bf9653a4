package dev.tandem.crdt.doc;

import dev.tandem.crdt.struct.AbstractStruct;
import dev.tandem.crdt.update.UpdateEncoder;

/** A gap in a received update; never stored. */
final class DocSkip extends DocStruct {
  DocSkip(long client, long clock, long length) {
    super(client, clock, length);
  }

  @Override
  boolean isDeleted() {
    return false;
  }

  @Override
  void write(UpdateEncoder encoder, long offset) {
    encoder.writeInfo(AbstractStruct.SKIP_REF);
    encoder.rest().writeVarUint(length - offset);
  }
}
