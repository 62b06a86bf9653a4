package dev.tandem.crdt.update;

import dev.tandem.crdt.struct.AbstractStruct;
import java.util.List;

/**
 * One client section of an update: consecutive structs of {@code client} starting at
 * {@code startClock} (each struct starts where the previous one ends).
 */
public record ClientStructs(long client, long startClock, List<AbstractStruct> structs) {}
