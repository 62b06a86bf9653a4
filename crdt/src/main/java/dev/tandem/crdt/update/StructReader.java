package dev.tandem.crdt.update;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.lib0.Lib0Decoder;
import dev.tandem.crdt.struct.AbstractStruct;
import dev.tandem.crdt.struct.Contents;
import dev.tandem.crdt.struct.GC;
import dev.tandem.crdt.struct.ID;
import dev.tandem.crdt.struct.Item;
import dev.tandem.crdt.struct.Skip;

/**
 * Reads the struct part of an update one struct at a time (Yjs's LazyStructReader), so that
 * update operations never hold a whole decoded update. After {@link #next()} returned null the
 * decoder is positioned at the delete set.
 *
 * <p>Wire layout of the struct part: number of client sections; per section the number of
 * structs, the client, the first clock, then the structs, each starting with an info byte
 * (0: GC, 10: Skip, else an Item whose low five bits are its content ref).
 */
public final class StructReader {
  /**
   * Update v2 can describe structs that cost no input bytes (a repeated run in every column),
   * so a tiny hostile update could claim billions. Legitimate updates stay far below this.
   */
  public static final long MIN_STRUCT_BUDGET = 1L << 22;

  private final UpdateDecoder decoder;
  private final Lib0Decoder rest;
  private final boolean keepParentSubFlag;
  private final boolean filterSkips;
  private long budget;
  private int sectionsLeft;
  private long structsLeft;
  private long client;
  private long clock;
  private boolean started;
  private AbstractStruct curr;
  /** The section count at the start of the struct part was read. */
  private boolean headerRead;

  /**
   * @param keepParentSubFlag keep the parentSub info bit of items that do not spell out their
   *     key (for byte-exact re-encoding); Yjs's update operations drop it
   * @param filterSkips do not return Skip structs (they still advance the clock)
   */
  public StructReader(
      UpdateDecoder decoder, int inputLength, boolean keepParentSubFlag, boolean filterSkips) {
    this.decoder = decoder;
    this.rest = decoder.rest();
    this.keepParentSubFlag = keepParentSubFlag;
    this.filterSkips = filterSkips;
    this.budget = Math.max(MIN_STRUCT_BUDGET, 4L * inputLength);
  }

  /** The current struct, or null when all were read. Reads the first one on first call. */
  public AbstractStruct curr() {
    if (!started) {
      next();
    }
    return curr;
  }

  public AbstractStruct next() {
    started = true;
    do {
      curr = readOne();
    } while (filterSkips && curr instanceof Skip);
    return curr;
  }

  /**
   * Advances to the next section header. Returns false at the end of the struct part.
   * Exposed for decoders that want section boundaries ({@link UpdateCodec}).
   */
  boolean nextSection() {
    if (!headerRead) {
      headerRead = true;
      sectionsLeft = rest.readCount(2);
    }
    if (sectionsLeft == 0) {
      return false;
    }
    sectionsLeft--;
    int at = rest.errorOffset();
    long n = rest.readVarUint();
    if (decoder instanceof UpdateDecoderV1 && n > rest.remaining()) {
      throw new MalformedDataException("struct count " + n + " exceeds remaining data", at);
    }
    structsLeft = n;
    client = decoder.readClient();
    clock = rest.readVarUint();
    return true;
  }

  long sectionClient() {
    return client;
  }

  long sectionClock() {
    return clock;
  }

  long sectionStructs() {
    return structsLeft;
  }

  /** Reads the next struct of the current section, or null at its end. */
  AbstractStruct readInSection() {
    if (structsLeft == 0) {
      return null;
    }
    structsLeft--;
    if (--budget < 0) {
      throw rest.error("update has more structs than allowed");
    }
    return readStruct();
  }

  private AbstractStruct readOne() {
    while (structsLeft == 0) {
      if (!nextSection()) {
        return null;
      }
    }
    return readInSection();
  }

  private AbstractStruct readStruct() {
    int at = rest.errorOffset();
    int info = decoder.readInfo();
    AbstractStruct s;
    if (info == AbstractStruct.SKIP_REF) {
      s = new Skip(client, clock, decoder.readSkipLen());
    } else if ((info & Item.CONTENT_REF_MASK) == 0) {
      if (info != AbstractStruct.GC_REF) {
        throw new MalformedDataException("GC struct with item flags " + info, at);
      }
      s = new GC(client, clock, decoder.readLen());
    } else {
      int ref = info & Item.CONTENT_REF_MASK;
      if (ref > 9) {
        throw new MalformedDataException("unknown content ref " + ref, at);
      }
      boolean cantCopyParentInfo = (info & (Item.BIT_ORIGIN | Item.BIT_RIGHT_ORIGIN)) == 0;
      long originClient = Item.NO_ORIGIN;
      long originClock = 0;
      if ((info & Item.BIT_ORIGIN) != 0) {
        originClient = decoder.readClient();
        originClock = decoder.readLeftClock();
      }
      long rightOriginClient = Item.NO_ORIGIN;
      long rightOriginClock = 0;
      if ((info & Item.BIT_RIGHT_ORIGIN) != 0) {
        rightOriginClient = decoder.readClient();
        rightOriginClock = decoder.readRightClock();
      }
      String parentKey = null;
      ID parentId = null;
      String parentSub = null;
      if (cantCopyParentInfo) {
        if (decoder.readParentInfo()) {
          parentKey = decoder.readString();
        } else {
          parentId = decoder.readLeftID();
        }
        if ((info & Item.BIT_PARENT_SUB) != 0) {
          parentSub = decoder.readString();
        }
      }
      boolean flag = keepParentSubFlag && !cantCopyParentInfo && (info & Item.BIT_PARENT_SUB) != 0;
      s =
          new Item(
              client,
              clock,
              originClient,
              originClock,
              rightOriginClient,
              rightOriginClock,
              parentKey,
              parentId,
              parentSub,
              flag,
              Contents.read(decoder, ref));
    }
    long len = s.length();
    if (len < 1 || len > Lib0Decoder.MAX_SAFE_INTEGER - clock) {
      throw new MalformedDataException("struct length " + len + " out of range", at);
    }
    clock += len;
    return s;
  }
}
