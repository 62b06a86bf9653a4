package dev.tandem.crdt.update;

import dev.tandem.crdt.lib0.Lib0Encoder;
import dev.tandem.crdt.struct.StructEncoder;

/**
 * A {@link StructEncoder} plus what update framing needs: the "rest" stream (struct counts,
 * clocks, delete set) and delete-set fields. Mirrors Yjs's UpdateEncoderV1/V2.
 */
public interface UpdateEncoder extends StructEncoder, DsEncoder {
  /** Replaces the rest stream, returning the old one (lets structs be written per client). */
  Lib0Encoder swapRest(Lib0Encoder fresh);
}
