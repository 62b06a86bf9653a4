package dev.tandem.crdt.doc;

/**
 * The kind of shared type a root holds, as far as its content shows it (see {@link
 * Doc#inferRootKind}). Yjs keeps no type information for roots in updates: a peer decides what a
 * root is when it calls {@code getText}, {@code getMap}, ...
 */
public enum RootKind {
  TEXT,
  ARRAY,
  MAP,
  XML_FRAGMENT,
  /** Nothing tells: the root holds no content, or only deleted (garbage-collected) content. */
  UNKNOWN
}
