package dev.tandem.crdt.update;

import dev.tandem.crdt.MalformedDataException;

/**
 * Makes sure only {@link MalformedDataException} escapes a decoding operation. The decoders
 * check bounds explicitly; this is the safety net for a check we missed, reported with offset
 * -1 (unknown). Used as {@code catch (RuntimeException e) { throw Guard.translate(e); }} rather
 * than through a lambda, which would cost a lambda bootstrap on the first (cold) call.
 */
final class Guard {
  private Guard() {}

  static RuntimeException translate(RuntimeException e) {
    if (e instanceof MalformedDataException) {
      return e;
    }
    if (e instanceof IndexOutOfBoundsException
        || e instanceof IllegalArgumentException
        || e instanceof IllegalStateException
        || e instanceof ArithmeticException
        || e instanceof UnsupportedOperationException
        || e instanceof NegativeArraySizeException) {
      return new MalformedDataException("malformed update: " + e, -1, e);
    }
    return e;
  }
}
