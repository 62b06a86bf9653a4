package dev.tandem.crdt.struct;

import dev.tandem.crdt.MalformedDataException;

/** Counterpart of {@link StructEncoder}. Every method throws only {@link MalformedDataException}. */
public interface StructDecoder {
  /**
   * The clock of an origin or parent id; its client comes first from {@link #readClient()}
   * (both formats keep id clients and section clients in one stream).
   */
  long readLeftClock();

  long readRightClock();

  long readClient();

  default ID readLeftID() {
    long client = readClient();
    return new ID(client, readLeftClock());
  }

  int readInfo();

  String readString();

  /** True if the string {@link #readString} returned last is known to be pure ASCII. */
  default boolean lastStringAscii() {
    return false;
  }

  boolean readParentInfo();

  int readTypeRef();

  long readLen();

  Object readAny();

  byte[] readBuf();

  Object readJSON();

  String readKey();

  /** A Skip's length (inline var-uint in both formats). */
  long readSkipLen();

  /** An error located at the decoder's current position in the main (rest) buffer. */
  MalformedDataException error(String message);
}
