package dev.tandem.crdt.update;

/**
 * Byte sizes of the parts of an update v2, as read from one. Only a sizing hint for encoders:
 * re-encoding a decoded v2 update produces parts of exactly these sizes.
 */
public record V2Layout(
    int keyClocks,
    int clients,
    int leftClocks,
    int rightClocks,
    int infos,
    int stringBytes,
    int stringLengths,
    int parentInfos,
    int typeRefs,
    int lens,
    int rest) {}
