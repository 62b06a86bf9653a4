package dev.tandem.crdt.struct;

/**
 * An inserted piece of content as it travels in an update: where it was inserted (origin =
 * the unit to its left at insertion time, rightOrigin = the unit to its right) and into which
 * parent. The parent is written only when neither origin is known; it is then either a root
 * type name ({@link #parentKey()}) or the id of the item holding the parent type
 * ({@link #parentId()}). When both are null the parent is inherited from an origin during
 * integration, which is the document model's job.
 *
 * <p>Struct info byte layout: bits 0-4 content ref, bit 5 parentSub present, bit 6 right
 * origin present, bit 7 origin present.
 */
public final class Item extends AbstractStruct {
  public static final int BIT_ORIGIN = 0x80;
  public static final int BIT_RIGHT_ORIGIN = 0x40;
  public static final int BIT_PARENT_SUB = 0x20;
  public static final int CONTENT_REF_MASK = 0x1F;

  /** Client value of an absent origin: real client ids are never negative. */
  public static final long NO_ORIGIN = -1;

  // Origins as primitives, for the same reason as the struct's own id (see AbstractStruct).
  private final long originClient;
  private final long originClock;
  private final long rightOriginClient;
  private final long rightOriginClock;
  private final String parentKey;
  private final ID parentId;
  private final String parentSub;
  /**
   * Yjs sets the parentSub bit whenever the item has a map key, but writes the key itself only
   * when it also writes the parent (no origins). A decoded item with an origin therefore knows
   * only that it has a key; this flag remembers that bit so a decoded update re-encodes
   * byte-identically. Yjs's own update operations forget it, and so do ours.
   */
  private final boolean parentSubFlag;
  private Content content;

  public Item(
      ID id,
      ID origin,
      ID rightOrigin,
      String parentKey,
      ID parentId,
      String parentSub,
      boolean parentSubFlag,
      Content content) {
    this(
        id.client(),
        id.clock(),
        origin == null ? NO_ORIGIN : origin.client(),
        origin == null ? 0 : origin.clock(),
        rightOrigin == null ? NO_ORIGIN : rightOrigin.client(),
        rightOrigin == null ? 0 : rightOrigin.clock(),
        parentKey,
        parentId,
        parentSub,
        parentSubFlag,
        content);
  }

  /**
   * The allocation-free form used by decoders: an origin is absent when its client is
   * {@link #NO_ORIGIN}.
   */
  public Item(
      long client,
      long clock,
      long originClient,
      long originClock,
      long rightOriginClient,
      long rightOriginClock,
      String parentKey,
      ID parentId,
      String parentSub,
      boolean parentSubFlag,
      Content content) {
    super(client, clock, content.getLength());
    this.originClient = originClient;
    this.originClock = originClock;
    this.rightOriginClient = rightOriginClient;
    this.rightOriginClock = rightOriginClock;
    this.parentKey = parentKey;
    this.parentId = parentId;
    this.parentSub = parentSub;
    this.parentSubFlag = parentSubFlag && parentSub == null;
    this.content = content;
  }

  /** The origin as a new ID, or null. */
  public ID origin() {
    return originClient == NO_ORIGIN ? null : new ID(originClient, originClock);
  }

  /** The right origin as a new ID, or null. */
  public ID rightOrigin() {
    return rightOriginClient == NO_ORIGIN ? null : new ID(rightOriginClient, rightOriginClock);
  }

  /** Name of the root type this item is a direct child of, if written in the update. */
  public String parentKey() {
    return parentKey;
  }

  /** Id of the item whose type is this item's parent, if written in the update. */
  public ID parentId() {
    return parentId;
  }

  /** Map key within the parent, or null for sequence content (or when not written). */
  public String parentSub() {
    return parentSub;
  }

  /** True if the item has a map key that the update did not spell out (see field comment). */
  public boolean hasUnwrittenParentSub() {
    return parentSubFlag;
  }

  public Content content() {
    return content;
  }

  /** The id of the last unit of this item. */
  public ID lastId() {
    return new ID(client, clock + length - 1);
  }

  @Override
  public boolean deleted() {
    return false;
  }

  @Override
  public void write(StructEncoder encoder, long offset) {
    // written with an offset, the origin is the unit just before the written part
    boolean writesOrigin = offset > 0 || originClient != NO_ORIGIN;
    boolean writesRightOrigin = rightOriginClient != NO_ORIGIN;
    int info =
        (content.ref() & CONTENT_REF_MASK)
            | (writesOrigin ? BIT_ORIGIN : 0)
            | (writesRightOrigin ? BIT_RIGHT_ORIGIN : 0)
            | (parentSub == null && !parentSubFlag ? 0 : BIT_PARENT_SUB);
    encoder.writeInfo(info);
    if (offset > 0) {
      encoder.writeLeftID(client, clock + offset - 1);
    } else if (writesOrigin) {
      encoder.writeLeftID(originClient, originClock);
    }
    if (writesRightOrigin) {
      encoder.writeRightID(rightOriginClient, rightOriginClock);
    }
    if (!writesOrigin && !writesRightOrigin) {
      if (parentKey != null) {
        encoder.writeParentInfo(true);
        encoder.writeString(parentKey);
      } else if (parentId != null) {
        encoder.writeParentInfo(false);
        encoder.writeLeftID(parentId);
      } else {
        throw new IllegalStateException("item " + id() + " has neither origins nor a parent");
      }
      if (parentSub != null) {
        encoder.writeString(parentSub);
      }
    }
    content.write(encoder, (int) offset);
  }

  /**
   * Always false here: Yjs merges items only when they are neighbours in a document (it
   * compares the items' left/right links), and an item read from an update has no links. The
   * document model decides item merges itself, using {@link Content#mergeWith}.
   */
  @Override
  public boolean mergeWith(AbstractStruct right) {
    return false;
  }

  /**
   * Yjs's sliceStruct for items: the right part's origin is the unit before it; the content
   * is split with {@link Content#splice}, which also shortens this item's content. This item's
   * own length field is left as it was, as Yjs does: the caller discards it.
   */
  @Override
  public Item sliceFrom(long offset) {
    return new Item(
        client,
        clock + offset,
        client,
        clock + offset - 1,
        rightOriginClient,
        rightOriginClock,
        parentKey,
        parentId,
        parentSub,
        parentSubFlag,
        content.splice((int) offset));
  }

  @Override
  public String toString() {
    return "Item("
        + id()
        + ", len "
        + length
        + ", origin "
        + origin()
        + ", rightOrigin "
        + rightOrigin()
        + (parentKey != null ? ", parent '" + parentKey + "'" : "")
        + (parentId != null ? ", parent " + parentId : "")
        + (parentSub != null ? ", key '" + parentSub + "'" : "")
        + ", "
        + content
        + ")";
  }
}
