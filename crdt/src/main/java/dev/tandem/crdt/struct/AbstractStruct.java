package dev.tandem.crdt.struct;

/**
 * A run of {@link #length()} consecutive clock values of one client: an {@link Item}, a
 * {@link GC} (garbage-collected range) or a {@link Skip} (a gap in an update).
 */
public abstract sealed class AbstractStruct permits GC, Skip, Item {
  /** Struct info byte of GC, and its content ref number. */
  public static final int GC_REF = 0;
  /** Struct info byte of a Skip. */
  public static final int SKIP_REF = 10;

  // The id is kept as two primitives rather than an ID object: decoding an update creates one
  // struct per run, and an extra object per struct was the largest allocation of a decode.
  protected final long client;
  protected final long clock;
  protected long length;

  protected AbstractStruct(long client, long clock, long length) {
    this.client = client;
    this.clock = clock;
    this.length = length;
  }

  /** The id of the first unit (a new object; hot paths use {@link #client()}/{@link #clock()}). */
  public final ID id() {
    return new ID(client, clock);
  }

  public final long client() {
    return client;
  }

  public final long clock() {
    return clock;
  }

  public final long length() {
    return length;
  }

  /** Clock just past this struct. */
  public final long endClock() {
    return clock + length;
  }

  public abstract boolean deleted();

  /**
   * Writes the struct, leaving out its first {@code offset} units (for diffs): a struct
   * written with an offset starts at {@code id.clock + offset}.
   */
  public abstract void write(StructEncoder encoder, long offset);

  /**
   * Appends {@code right} (which must start where this ends) if both are the same kind and can
   * be represented as one struct; Yjs's {@code mergeWith}. Items are merged by the document
   * model, which knows their neighbours; see {@link Item#mergeWith}.
   */
  public abstract boolean mergeWith(AbstractStruct right);

  /** A new struct holding this struct's units from {@code offset} on (Yjs's sliceStruct). */
  public abstract AbstractStruct sliceFrom(long offset);
}
