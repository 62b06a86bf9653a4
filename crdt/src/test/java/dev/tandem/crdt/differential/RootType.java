package dev.tandem.crdt.differential;

/** The kinds of root-level shared types an op can address ({@code doc.get(name, Ctor)}). */
public enum RootType {
  TEXT("text"),
  ARRAY("array"),
  MAP("map"),
  XML_FRAGMENT("xmlFragment");

  private final String wire;

  RootType(String wire) {
    this.wire = wire;
  }

  /** The name used in the peer protocol and OPS.md. */
  public String wire() {
    return wire;
  }

  public static RootType ofWire(String s) {
    for (RootType t : values()) {
      if (t.wire.equals(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown root type " + s);
  }
}
