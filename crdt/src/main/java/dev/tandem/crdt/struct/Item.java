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

  private final ID origin;
  private final ID rightOrigin;
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
    super(id, content.getLength());
    this.origin = origin;
    this.rightOrigin = rightOrigin;
    this.parentKey = parentKey;
    this.parentId = parentId;
    this.parentSub = parentSub;
    this.parentSubFlag = parentSubFlag && parentSub == null;
    this.content = content;
  }

  public ID origin() {
    return origin;
  }

  public ID rightOrigin() {
    return rightOrigin;
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
    return length == 1 ? id : new ID(id.client(), id.clock() + length - 1);
  }

  @Override
  public boolean deleted() {
    return false;
  }

  @Override
  public void write(StructEncoder encoder, long offset) {
    ID writtenOrigin = offset > 0 ? new ID(id.client(), id.clock() + offset - 1) : origin;
    int info =
        (content.ref() & CONTENT_REF_MASK)
            | (writtenOrigin == null ? 0 : BIT_ORIGIN)
            | (rightOrigin == null ? 0 : BIT_RIGHT_ORIGIN)
            | (parentSub == null && !parentSubFlag ? 0 : BIT_PARENT_SUB);
    encoder.writeInfo(info);
    if (writtenOrigin != null) {
      encoder.writeLeftID(writtenOrigin);
    }
    if (rightOrigin != null) {
      encoder.writeRightID(rightOrigin);
    }
    if (writtenOrigin == null && rightOrigin == null) {
      if (parentKey != null) {
        encoder.writeParentInfo(true);
        encoder.writeString(parentKey);
      } else if (parentId != null) {
        encoder.writeParentInfo(false);
        encoder.writeLeftID(parentId);
      } else {
        throw new IllegalStateException("item " + id + " has neither origins nor a parent");
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
        new ID(id.client(), id.clock() + offset),
        new ID(id.client(), id.clock() + offset - 1),
        rightOrigin,
        parentKey,
        parentId,
        parentSub,
        parentSubFlag,
        content.splice((int) offset));
  }

  @Override
  public String toString() {
    return "Item("
        + id
        + ", len "
        + length
        + ", origin "
        + origin
        + ", rightOrigin "
        + rightOrigin
        + (parentKey != null ? ", parent '" + parentKey + "'" : "")
        + (parentId != null ? ", parent " + parentId : "")
        + (parentSub != null ? ", key '" + parentSub + "'" : "")
        + ", "
        + content
        + ")";
  }
}
