package dev.tandem.crdt.struct;

/** Content of a deleted item whose payload was dropped; only its length remains. */
public final class ContentDeleted implements Content {
  public static final int REF = 1;
  private int len;

  public ContentDeleted(int len) {
    this.len = len;
  }

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public int getLength() {
    return len;
  }

  @Override
  public boolean isCountable() {
    return false;
  }

  @Override
  public ContentDeleted copy() {
    return new ContentDeleted(len);
  }

  @Override
  public ContentDeleted splice(int offset) {
    ContentDeleted right = new ContentDeleted(len - offset);
    len = offset;
    return right;
  }

  @Override
  public boolean mergeWith(Content right) {
    if (!(right instanceof ContentDeleted r)) {
      return false;
    }
    len += r.len;
    return true;
  }

  @Override
  public void write(StructEncoder encoder, int offset) {
    encoder.writeLen(len - offset);
  }

  @Override
  public String toString() {
    return "Deleted(" + len + ")";
  }
}
