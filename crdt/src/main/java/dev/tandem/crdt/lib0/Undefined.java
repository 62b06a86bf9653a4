package dev.tandem.crdt.lib0;

/** JavaScript's {@code undefined}, distinct from {@code null} in lib0's {@code any} encoding. */
public final class Undefined {
  public static final Undefined INSTANCE = new Undefined();

  private Undefined() {}

  @Override
  public String toString() {
    return "undefined";
  }
}
