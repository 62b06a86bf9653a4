package dev.tandem.crdt.doc;

import dev.tandem.crdt.struct.Content;
import dev.tandem.crdt.struct.ContentType;
import dev.tandem.crdt.struct.StructEncoder;

/** Content holding a live nested shared type (Yjs's ContentType in a document). */
final class TypeContent implements Content {
  final AbstractType type;

  TypeContent(AbstractType type) {
    this.type = type;
  }

  static TypeContent fromWire(ContentType ct) {
    return new TypeContent(AbstractType.create(ct.typeRef(), ct.name()));
  }

  @Override
  public int ref() {
    return ContentType.REF;
  }

  @Override
  public int getLength() {
    return 1;
  }

  @Override
  public boolean isCountable() {
    return true;
  }

  @Override
  public Content copy() {
    return new TypeContent(type.copyEmpty());
  }

  @Override
  public Content splice(int offset) {
    throw new UnsupportedOperationException("type content has length 1");
  }

  @Override
  public boolean mergeWith(Content right) {
    return false;
  }

  @Override
  public void write(StructEncoder encoder, int offset) {
    encoder.writeTypeRef(type.typeRef());
    String name = type.wireName();
    if (name != null) {
      encoder.writeKey(name);
    }
  }

  void deleteChildren(Transaction tr) {
    DocItem item = type.start;
    while (item != null) {
      if (!item.isDeleted()) {
        item.delete(tr);
      } else if (item.clock < tr.beforeClock(item.client)) {
        tr.mergeStructs.add(item);
      }
      item = item.right;
    }
    for (DocItem it : type.map.values()) {
      if (!it.isDeleted()) {
        it.delete(tr);
      } else if (it.clock < tr.beforeClock(it.client)) {
        tr.mergeStructs.add(it);
      }
    }
    tr.changed.remove(type);
  }

  void gcChildren(StructStore store) {
    DocItem item = type.start;
    while (item != null) {
      item.gc(store, true);
      item = item.right;
    }
    type.start = null;
    for (DocItem it : type.map.values()) {
      while (it != null) {
        it.gc(store, true);
        it = it.left;
      }
    }
    type.map = new java.util.LinkedHashMap<>();
  }

  @Override
  public String toString() {
    return "Type(" + type.getClass().getSimpleName() + ")";
  }
}
