package dev.tandem.crdt.protocol.hocuspocus;

/** The scope string of an Authenticated message ({@code AuthorizedScope} in the provider). */
public enum AuthorizedScope {
  READ_WRITE("read-write"),
  READ_ONLY("readonly");

  private final String wire;

  AuthorizedScope(String wire) {
    this.wire = wire;
  }

  /** The exact string on the wire. */
  public String wire() {
    return wire;
  }

  /** The scope for a wire string, or null when it is neither known value. */
  public static AuthorizedScope fromWire(String s) {
    for (AuthorizedScope scope : values()) {
      if (scope.wire.equals(s)) {
        return scope;
      }
    }
    return null;
  }
}
