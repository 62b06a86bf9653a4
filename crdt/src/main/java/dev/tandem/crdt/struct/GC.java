package dev.tandem.crdt.struct;

/** A garbage-collected range: the ids exist but their content and position are gone. */
public final class GC extends AbstractStruct {
  public GC(long client, long clock, long length) {
    super(client, clock, length);
  }

  @Override
  public boolean deleted() {
    return true;
  }

  @Override
  public void write(StructEncoder encoder, long offset) {
    encoder.writeInfo(GC_REF);
    encoder.writeLen(length - offset);
  }

  @Override
  public boolean mergeWith(AbstractStruct right) {
    if (!(right instanceof GC)) {
      return false;
    }
    length += right.length;
    return true;
  }

  @Override
  public GC sliceFrom(long offset) {
    return new GC(client, clock + offset, length - offset);
  }

  @Override
  public String toString() {
    return "GC(" + client + ":" + clock + ", " + length + ")";
  }
}
