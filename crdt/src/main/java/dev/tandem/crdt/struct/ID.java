package dev.tandem.crdt.struct;

/**
 * Identifies one unit (character, array element, ...) of a struct: the creating client and
 * that client's logical clock. Both are non-negative and below 2^53, as in JavaScript.
 */
public record ID(long client, long clock) {
  @Override
  public String toString() {
    return client + ":" + clock;
  }
}
