package dev.tandem.crdt.protocol.hocuspocus;

/** Who sent a Hocuspocus frame; some types and bodies exist in one direction only. */
public enum Direction {
  /** Provider to server. */
  FROM_CLIENT,
  /** Server to provider. */
  FROM_SERVER
}
