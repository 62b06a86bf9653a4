package dev.tandem.crdt.differential;

import java.util.List;

/**
 * The updates a document emitted while applying one op: its {@code update} (v1) and {@code
 * updateV2} events. An op that changed nothing emits none; one transaction emits at most one of
 * each.
 */
public record Emitted(List<byte[]> v1, List<byte[]> v2) {
  public Emitted {
    v1 = List.copyOf(v1);
    v2 = List.copyOf(v2);
  }

  public boolean isEmpty() {
    return v1.isEmpty() && v2.isEmpty();
  }
}
