package dev.tandem.crdt.struct;

/**
 * The payload of an {@link Item}. Implementations mirror Yjs's content classes and keep its
 * mutable semantics so the document model can use them directly: {@link #splice} cuts this
 * content at an offset (this keeps the left part, the right part is returned), and
 * {@link #mergeWith} appends a right neighbour of the same class.
 */
public interface Content {
  /** Yjs's content ref number (bits 0-4 of the struct info byte). */
  int ref();

  /** Number of clock units (characters, elements, ...) this content spans. */
  int getLength();

  /** Whether the units count towards a type's visible length (false: deleted, format). */
  boolean isCountable();

  Content copy();

  /**
   * Keeps units [0, offset) in this content and returns a new content holding the rest.
   *
   * @throws UnsupportedOperationException for contents of length 1, which Yjs never splits
   */
  Content splice(int offset);

  /** Appends {@code right} if both can be one content; false leaves both unchanged. */
  boolean mergeWith(Content right);

  /** Writes the content, leaving out its first {@code offset} units. */
  void write(StructEncoder encoder, int offset);
}
