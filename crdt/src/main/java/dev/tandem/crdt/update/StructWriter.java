package dev.tandem.crdt.update;

import dev.tandem.crdt.lib0.Lib0Encoder;
import dev.tandem.crdt.struct.AbstractStruct;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes structs one at a time without knowing in advance how many each client has (Yjs's
 * LazyStructWriter): the rest stream is cut into one fragment per run of same-client structs,
 * and {@link #finish()} prefixes each fragment with its struct count.
 */
final class StructWriter {
  private final UpdateEncoder encoder;
  private final List<Lib0Encoder> fragments = new ArrayList<>();
  private final List<Long> counts = new ArrayList<>();
  private long currClient;
  private long written;

  StructWriter(UpdateEncoder encoder) {
    this.encoder = encoder;
  }

  void write(AbstractStruct struct, long offset) {
    if (written > 0 && currClient != struct.id().client()) {
      flush();
    }
    if (written == 0) {
      currClient = struct.id().client();
      encoder.writeClient(currClient);
      encoder.rest().writeVarUint(struct.id().clock() + offset);
    }
    struct.write(encoder, offset);
    written++;
  }

  private void flush() {
    if (written > 0) {
      counts.add(written);
      fragments.add(encoder.swapRest(new Lib0Encoder(256)));
      written = 0;
    }
  }

  /** Writes the section count and all fragments; the encoder's rest continues after them. */
  void finish() {
    flush();
    Lib0Encoder rest = encoder.rest();
    rest.writeVarUint(fragments.size());
    for (int i = 0; i < fragments.size(); i++) {
      rest.writeVarUint(counts.get(i));
      Lib0Encoder f = fragments.get(i);
      rest.writeBytes(f.toByteArray());
    }
  }
}
