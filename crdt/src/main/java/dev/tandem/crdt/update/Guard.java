package dev.tandem.crdt.update;

import dev.tandem.crdt.MalformedDataException;
import java.util.function.Supplier;

/**
 * Runs a decoding operation so that only {@link MalformedDataException} escapes. The decoders
 * check bounds explicitly; this is the safety net for a check we missed, reported with offset
 * -1 (unknown).
 */
final class Guard {
  private Guard() {}

  static <T> T run(Supplier<T> op) {
    try {
      return op.get();
    } catch (MalformedDataException e) {
      throw e;
    } catch (IndexOutOfBoundsException
        | IllegalArgumentException
        | IllegalStateException
        | ArithmeticException
        | UnsupportedOperationException
        | NegativeArraySizeException e) {
      throw new MalformedDataException("malformed update: " + e, -1, e);
    }
  }
}
