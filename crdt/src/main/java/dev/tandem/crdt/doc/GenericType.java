package dev.tandem.crdt.doc;

import dev.tandem.crdt.lib0.Undefined;

/** A root type received in an update but not yet accessed with a typed getter. */
final class GenericType extends AbstractType {
  @Override
  int typeRef() {
    throw new IllegalStateException("root types are not written as content");
  }

  @Override
  AbstractType copyEmpty() {
    return new GenericType();
  }

  @Override
  public Object toJSON() {
    return Undefined.INSTANCE;
  }
}
