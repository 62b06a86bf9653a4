package dev.tandem.crdt.update;

import dev.tandem.crdt.lib0.Lib0Encoder;
import dev.tandem.crdt.struct.AbstractStruct;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes structs one at a time without knowing in advance how many each client has (Yjs's
 * LazyStructWriter): the rest stream is cut into one fragment per run of same-client structs,
 * and {@link #finish()} prefixes each fragment with its struct count.
 */
final class StructWriter {
  private final UpdateEncoder encoder;
  private final List<Lib0Encoder> fragments = new ArrayList<>();
  private long[] counts = new long[4];
  private long currClient;
  private long written;
  /** Capacity of the next fresh rest stream. */
  private int fragmentCapacity;

  StructWriter(UpdateEncoder encoder) {
    this(encoder, 256);
  }

  /** @param sizeHint expected size of the struct part in the rest stream (0: unknown) */
  StructWriter(UpdateEncoder encoder, int sizeHint) {
    this.encoder = encoder;
    this.fragmentCapacity = Math.max(256, sizeHint);
  }

  void write(AbstractStruct struct, long offset) {
    if (written > 0 && currClient != struct.client()) {
      flush();
    }
    if (written == 0) {
      currClient = struct.client();
      encoder.writeClient(currClient);
      encoder.rest().writeVarUint(struct.clock() + offset);
    }
    struct.write(encoder, offset);
    written++;
  }

  private void flush() {
    if (written > 0) {
      int n = fragments.size();
      if (n == counts.length) {
        counts = Arrays.copyOf(counts, n * 2);
      }
      counts[n] = written;
      fragments.add(encoder.swapRest(new Lib0Encoder(fragmentCapacity)));
      fragmentCapacity = 256;
      written = 0;
    }
  }

  /** Writes the section count and all fragments; the encoder's rest continues after them. */
  void finish() {
    flush();
    Lib0Encoder rest = encoder.rest();
    rest.writeVarUint(fragments.size());
    for (int i = 0; i < fragments.size(); i++) {
      rest.writeVarUint(counts[i]);
      rest.writeEncoded(fragments.get(i));
    }
  }
}
