package dev.tandem.crdt.struct;

/**
 * The field-level sink structs write themselves into. Update v1 writes every field inline; v2
 * routes each kind of field to its own compressed column. Method names follow Yjs's
 * {@code UpdateEncoder} so that the two can be compared side by side.
 */
public interface StructEncoder {
  /** An origin or parent id (client and clock, so callers need not allocate an ID). */
  void writeLeftID(long client, long clock);

  void writeRightID(long client, long clock);

  default void writeLeftID(ID id) {
    writeLeftID(id.client(), id.clock());
  }

  default void writeRightID(ID id) {
    writeRightID(id.client(), id.clock());
  }

  void writeClient(long client);

  void writeInfo(int info);

  void writeString(String s);

  /** {@link #writeString} for a string known to be pure ASCII, which encoders can copy. */
  default void writeAsciiString(String s) {
    writeString(s);
  }

  void writeParentInfo(boolean isRootKey);

  void writeTypeRef(int typeRef);

  void writeLen(long len);

  void writeAny(Object any);

  void writeBuf(byte[] buf);

  /** An embed or formatting value: JSON text in v1, lib0 {@code any} in v2. */
  void writeJSON(Object value);

  void writeKey(String key);

  /** A Skip's length, which both formats write inline as a var-uint. */
  void writeSkipLen(long len);
}
