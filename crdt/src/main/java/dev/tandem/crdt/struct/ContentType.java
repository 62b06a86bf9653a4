package dev.tandem.crdt.struct;

/**
 * A nested shared type (one unit). On the wire only its kind is stored, plus the node name
 * of an XML element or the hook name of an XML hook; the document model creates the type.
 */
public final class ContentType extends UnitContent {
  public static final int REF = 7;

  public static final int Y_ARRAY = 0;
  public static final int Y_MAP = 1;
  public static final int Y_TEXT = 2;
  public static final int Y_XML_ELEMENT = 3;
  public static final int Y_XML_FRAGMENT = 4;
  public static final int Y_XML_HOOK = 5;
  public static final int Y_XML_TEXT = 6;

  private final int typeRef;
  private final String name;

  /**
   * @param typeRef one of the {@code Y_*} constants
   * @param name node name ({@link #Y_XML_ELEMENT}) or hook name ({@link #Y_XML_HOOK}), else null
   */
  public ContentType(int typeRef, String name) {
    if (typeRef < Y_ARRAY || typeRef > Y_XML_TEXT) {
      throw new IllegalArgumentException("unknown type ref " + typeRef);
    }
    if (hasName(typeRef) != (name != null)) {
      throw new IllegalArgumentException("type ref " + typeRef + " with name " + name);
    }
    this.typeRef = typeRef;
    this.name = name;
  }

  static boolean hasName(int typeRef) {
    return typeRef == Y_XML_ELEMENT || typeRef == Y_XML_HOOK;
  }

  public int typeRef() {
    return typeRef;
  }

  /** The XML node or hook name, null for other kinds. */
  public String name() {
    return name;
  }

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public ContentType copy() {
    return new ContentType(typeRef, name);
  }

  @Override
  public void write(StructEncoder encoder, int offset) {
    encoder.writeTypeRef(typeRef);
    if (name != null) {
      encoder.writeKey(name);
    }
  }

  @Override
  public String toString() {
    return "Type(" + typeRef + (name != null ? " " + name : "") + ")";
  }
}
