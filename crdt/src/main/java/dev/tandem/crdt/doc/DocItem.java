package dev.tandem.crdt.doc;

import dev.tandem.crdt.struct.Content;
import dev.tandem.crdt.struct.ContentDeleted;
import dev.tandem.crdt.struct.ID;
import dev.tandem.crdt.struct.Item;
import dev.tandem.crdt.update.UpdateEncoder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An item living in a document: the wire {@link Item}'s data plus its document links (left /
 * right neighbours, resolved parent type) and state flags. Algorithms follow yjs 13.6's Item.
 */
public final class DocItem extends DocStruct {
  static final int KEEP = 1;
  static final int COUNTABLE = 2;
  static final int DELETED = 4;
  static final int MARKER = 8;

  ID origin;
  ID rightOrigin;
  DocItem left;
  DocItem right;
  /** Resolved parent type; null with {@link #parentId} null means "inherit" before integration. */
  AbstractType parent;
  /** Unresolved parent (the id of the item holding the parent type), only before integration. */
  ID parentId;
  String parentSub;
  Content content;
  int info;
  /** Set by getMissing when a neighbour turned out to be garbage collected. */
  private boolean becomesGc;

  DocItem(
      long client,
      long clock,
      DocItem left,
      ID origin,
      DocItem right,
      ID rightOrigin,
      AbstractType parent,
      String parentSub,
      Content content) {
    super(client, clock, content.getLength());
    this.left = left;
    this.origin = origin;
    this.right = right;
    this.rightOrigin = rightOrigin;
    this.parent = parent;
    this.parentSub = parentSub;
    this.content = content;
    this.info = content.isCountable() ? COUNTABLE : 0;
  }

  public boolean deleted() {
    return (info & DELETED) != 0;
  }

  @Override
  boolean isDeleted() {
    return (info & DELETED) != 0;
  }

  boolean countable() {
    return (info & COUNTABLE) != 0;
  }

  boolean keep() {
    return (info & KEEP) != 0;
  }

  void setKeep(boolean k) {
    info = k ? info | KEEP : info & ~KEEP;
  }

  boolean marker() {
    return (info & MARKER) != 0;
  }

  void setMarker(boolean m) {
    info = m ? info | MARKER : info & ~MARKER;
  }

  void markDeleted() {
    info |= DELETED;
  }

  public Content content() {
    return content;
  }

  public AbstractType parent() {
    return parent;
  }

  public String parentSub() {
    return parentSub;
  }

  ID lastId() {
    return length == 1 ? id() : new ID(client, clock + length - 1);
  }

  /** Next non-deleted item to the right. */
  DocItem next() {
    DocItem n = right;
    while (n != null && n.isDeleted()) {
      n = n.right;
    }
    return n;
  }

  DocItem prev() {
    DocItem n = left;
    while (n != null && n.isDeleted()) {
      n = n.left;
    }
    return n;
  }

  /**
   * Yjs's getMissing: the client of a dependency not yet in the store, or -1 when all are there
   * (then the neighbours and the parent are resolved).
   */
  long getMissing(Transaction tr, StructStore store) {
    if (origin != null && origin.client() != client && origin.clock() >= store.getState(origin.client())) {
      return origin.client();
    }
    if (rightOrigin != null
        && rightOrigin.client() != client
        && rightOrigin.clock() >= store.getState(rightOrigin.client())) {
      return rightOrigin.client();
    }
    if (parentId != null && parentId.client() != client && parentId.clock() >= store.getState(parentId.client())) {
      return parentId.client();
    }
    DocStruct l = null;
    DocStruct r = null;
    if (origin != null) {
      l = store.getItemCleanEnd(tr, origin);
      if (l instanceof DocItem li) {
        left = li;
        origin = li.lastId();
      }
    }
    if (rightOrigin != null) {
      r = store.getItemCleanStart(tr, rightOrigin);
      if (r instanceof DocItem ri) {
        right = ri;
        rightOrigin = ri.id();
      }
    }
    if (l instanceof DocGC || r instanceof DocGC) {
      parent = null;
      parentId = null;
      becomesGc = true;
    } else if (parent == null && parentId == null) {
      if (l instanceof DocItem li) {
        parent = li.parent;
        parentSub = li.parentSub;
      } else if (r instanceof DocItem ri) {
        parent = ri.parent;
        parentSub = ri.parentSub;
      }
    } else if (parentId != null) {
      DocStruct p = store.find(parentId);
      parentId = null;
      if (p instanceof DocItem pi && pi.content instanceof TypeContent tc) {
        parent = tc.type;
      } else {
        parent = null;
      }
    }
    return -1;
  }

  void integrate(Transaction tr, long offset) {
    StructStore store = tr.doc.store;
    if (offset > 0) {
      clock += offset;
      DocStruct l = store.getItemCleanEnd(tr, new ID(client, clock - 1));
      content = content.splice((int) offset);
      length -= offset;
      if (l instanceof DocItem li) {
        left = li;
        origin = li.lastId();
      } else {
        // the unit before us was garbage collected: so was our parent (see docs)
        becomesGc = true;
      }
    }
    if (parent != null && !becomesGc) {
      if ((left == null && (right == null || right.left != null)) || (left != null && left.right != right)) {
        DocItem l = left;
        DocItem o;
        if (l != null) {
          o = l.right;
        } else if (parentSub != null) {
          o = parent.map.get(parentSub);
          while (o != null && o.left != null) {
            o = o.left;
          }
        } else {
          o = parent.start;
        }
        if (o != null && o != right) {
          Set<DocItem> conflicting = new HashSet<>();
          Set<DocItem> beforeOrigin = new HashSet<>();
          while (o != null && o != right) {
            beforeOrigin.add(o);
            conflicting.add(o);
            if (sameId(origin, o.origin)) {
              if (o.client < client) {
                l = o;
                conflicting.clear();
              } else if (sameId(rightOrigin, o.rightOrigin)) {
                break;
              }
            } else if (o.origin != null) {
              DocStruct oo = store.find(o.origin);
              if (oo instanceof DocItem ooi && beforeOrigin.contains(ooi)) {
                if (!conflicting.contains(ooi)) {
                  l = o;
                  conflicting.clear();
                }
              } else {
                break;
              }
            } else {
              break;
            }
            o = o.right;
          }
        }
        left = l;
      }
      if (left != null) {
        right = left.right;
        left.right = this;
      } else {
        DocItem r;
        if (parentSub != null) {
          r = parent.map.get(parentSub);
          while (r != null && r.left != null) {
            r = r.left;
          }
        } else {
          r = parent.start;
          parent.start = this;
        }
        right = r;
      }
      if (right != null) {
        right.left = this;
      } else if (parentSub != null) {
        parent.map.put(parentSub, this);
        if (left != null) {
          left.delete(tr);
        }
      }
      if (parentSub == null && countable() && !isDeleted()) {
        parent.length += length;
      }
      store.addStruct(this);
      integrateContent(tr);
      tr.addChangedType(parent, parentSub);
      if ((parent.item != null && parent.item.isDeleted()) || (parentSub != null && right != null)) {
        delete(tr);
      }
    } else {
      new DocGC(client, clock, length).integrate(tr, 0);
    }
  }

  private void integrateContent(Transaction tr) {
    if (content instanceof TypeContent tc) {
      tc.type.integrate(tr.doc, this);
    } else if (content instanceof dev.tandem.crdt.struct.ContentFormat) {
      parent.searchMarker = null;
      parent.hasFormatting = true;
      parent.formatItems = true;
    } else if (content instanceof dev.tandem.crdt.struct.ContentDoc cd) {
      tr.subdocAdded(cd);
    }
  }

  static boolean sameId(ID a, ID b) {
    return a == b || (a != null && b != null && a.client() == b.client() && a.clock() == b.clock());
  }

  boolean mergeWith(DocItem r) {
    ID ro = r.origin;
    if (ro != null
        && ro.client() == client
        && ro.clock() == clock + length - 1
        && right == r
        && sameId(rightOrigin, r.rightOrigin)
        && client == r.client
        && clock + length == r.clock
        && isDeleted() == r.isDeleted()
        && content.getClass() == r.content.getClass()
        && content.mergeWith(r.content)) {
      List<AbstractType.Marker> markers = parent.searchMarker;
      if (markers != null) {
        for (AbstractType.Marker m : markers) {
          if (m.p == r) {
            m.p = this;
            if (!isDeleted() && countable()) {
              m.index -= length;
            }
          }
        }
      }
      if (r.keep()) {
        setKeep(true);
      }
      right = r.right;
      if (right != null) {
        right.left = this;
      }
      length += r.length;
      return true;
    }
    return false;
  }

  void delete(Transaction tr) {
    if (!isDeleted()) {
      AbstractType p = parent;
      if (countable() && parentSub == null) {
        p.length -= length;
      }
      markDeleted();
      tr.deleteSet.add(client, clock, length);
      tr.addChangedType(p, parentSub);
      if (content instanceof TypeContent tc) {
        tc.deleteChildren(tr);
      } else if (content instanceof dev.tandem.crdt.struct.ContentDoc cd) {
        tr.subdocRemoved(cd);
      }
    }
  }

  void gc(StructStore store, boolean parentGCd) {
    if (!isDeleted()) {
      throw new IllegalStateException("gc of a live item");
    }
    if (content instanceof TypeContent tc) {
      tc.gcChildren(store);
    }
    if (parentGCd) {
      store.replaceStruct(this, new DocGC(client, clock, length));
    } else if (!(content instanceof ContentDeleted)) {
      content = new ContentDeleted((int) length);
    }
  }

  /** Yjs's splitItem: this keeps [0, diff), the returned item the rest. */
  DocItem split(Transaction tr, long diff) {
    DocItem rightItem =
        new DocItem(
            client,
            clock + diff,
            this,
            new ID(client, clock + diff - 1),
            right,
            rightOrigin,
            parent,
            parentSub,
            content.splice((int) diff));
    if (isDeleted()) {
      rightItem.markDeleted();
    }
    if (keep()) {
      rightItem.setKeep(true);
    }
    right = rightItem;
    if (rightItem.right != null) {
      rightItem.right.left = rightItem;
    }
    tr.mergeStructs.add(rightItem);
    if (rightItem.parentSub != null && rightItem.right == null) {
      rightItem.parent.map.put(rightItem.parentSub, rightItem);
    }
    length = diff;
    return rightItem;
  }

  @Override
  void write(UpdateEncoder encoder, long offset) {
    ID o = offset > 0 ? new ID(client, clock + offset - 1) : origin;
    int info =
        (content.ref() & Item.CONTENT_REF_MASK)
            | (o == null ? 0 : Item.BIT_ORIGIN)
            | (rightOrigin == null ? 0 : Item.BIT_RIGHT_ORIGIN)
            | (parentSub == null ? 0 : Item.BIT_PARENT_SUB);
    encoder.writeInfo(info);
    if (o != null) {
      encoder.writeLeftID(o);
    }
    if (rightOrigin != null) {
      encoder.writeRightID(rightOrigin);
    }
    if (o == null && rightOrigin == null) {
      if (parent != null) {
        DocItem pi = parent.item;
        if (pi == null) {
          encoder.writeParentInfo(true);
          encoder.writeString(parent.rootName);
        } else {
          encoder.writeParentInfo(false);
          encoder.writeLeftID(pi.id());
        }
      } else if (parentId != null) {
        encoder.writeParentInfo(false);
        encoder.writeLeftID(parentId);
      } else {
        throw new IllegalStateException("item without a parent cannot be written: " + this);
      }
      if (parentSub != null) {
        encoder.writeString(parentSub);
      }
    }
    content.write(encoder, (int) offset);
  }

  /** The values this item contributes to its parent (Yjs's content.getContent()). */
  List<Object> values() {
    return Values.of(content);
  }

  @Override
  public String toString() {
    return "Item(" + client + ":" + clock + ", len " + length + (isDeleted() ? ", deleted" : "") + ", " + content + ")";
  }

  static List<Object> list(Object o) {
    List<Object> l = new ArrayList<>(1);
    l.add(o);
    return l;
  }
}
