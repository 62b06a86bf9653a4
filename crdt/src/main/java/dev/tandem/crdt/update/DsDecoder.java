package dev.tandem.crdt.update;

import dev.tandem.crdt.lib0.Lib0Decoder;

/** Counterpart of {@link DsEncoder}. */
public interface DsDecoder {
  Lib0Decoder rest();

  void resetDsCurVal();

  long readDsClock();

  long readDsLen();

  /**
   * Called at the end: fails unless all input was consumed. Yjs ignores trailing bytes; we
   * reject them so that a damaged or concatenated message is never half-applied.
   */
  void finish();
}
