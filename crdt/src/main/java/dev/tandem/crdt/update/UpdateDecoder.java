package dev.tandem.crdt.update;

import dev.tandem.crdt.struct.StructDecoder;

/** Counterpart of {@link UpdateEncoder}. */
public interface UpdateDecoder extends StructDecoder, DsDecoder {
}
