package dev.tandem.crdt.struct;

/** A binary blob ({@code Uint8Array}) occupying one unit. */
public final class ContentBinary extends UnitContent {
  public static final int REF = 3;
  private final byte[] bytes;

  public ContentBinary(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The blob itself (not copied). */
  public byte[] bytes() {
    return bytes;
  }

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public ContentBinary copy() {
    return new ContentBinary(bytes);
  }

  @Override
  public void write(StructEncoder encoder, int offset) {
    encoder.writeBuf(bytes);
  }

  @Override
  public String toString() {
    return "Binary(" + bytes.length + " bytes)";
  }
}
