package dev.tandem.crdt.struct;

/**
 * A gap in an update: clocks the update does not carry (only produced by merging updates
 * that do not connect). Never part of a document.
 */
public final class Skip extends AbstractStruct {
  public Skip(long client, long clock, long length) {
    super(client, clock, length);
  }

  @Override
  public boolean deleted() {
    return true;
  }

  /** Used by the update merger, which stretches or shrinks a pending gap. */
  public void setLength(long length) {
    this.length = length;
  }

  @Override
  public void write(StructEncoder encoder, long offset) {
    encoder.writeInfo(SKIP_REF);
    encoder.writeSkipLen(length - offset);
  }

  @Override
  public boolean mergeWith(AbstractStruct right) {
    if (!(right instanceof Skip)) {
      return false;
    }
    length += right.length;
    return true;
  }

  @Override
  public Skip sliceFrom(long offset) {
    return new Skip(client, clock + offset, length - offset);
  }

  @Override
  public String toString() {
    return "Skip(" + client + ":" + clock + ", " + length + ")";
  }
}
