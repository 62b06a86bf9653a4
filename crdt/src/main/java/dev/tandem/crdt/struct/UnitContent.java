package dev.tandem.crdt.struct;

/**
 * A content that always occupies exactly one unit (binary, embed, format, sub-document, nested
 * type): Yjs never splits it, and it never merges with a neighbour. Countable unless a subclass
 * says otherwise.
 */
public abstract class UnitContent implements Content {
  protected UnitContent() {}

  @Override
  public final int getLength() {
    return 1;
  }

  @Override
  public boolean isCountable() {
    return true;
  }

  /** @throws UnsupportedOperationException always: the content has length 1 */
  @Override
  public final Content splice(int offset) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has length 1");
  }

  @Override
  public final boolean mergeWith(Content right) {
    return false;
  }
}
