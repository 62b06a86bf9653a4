package dev.tandem.crdt.protocol;

import java.util.List;

/**
 * A y-protocols awareness update ({@code encodeAwarenessUpdate}): a list of client entries.
 * See {@link AwarenessCodec}.
 */
public record AwarenessUpdate(List<AwarenessEntry> entries) {
  public AwarenessUpdate {
    entries = List.copyOf(entries);
  }

  public static AwarenessUpdate of(AwarenessEntry... entries) {
    return new AwarenessUpdate(List.of(entries));
  }
}
