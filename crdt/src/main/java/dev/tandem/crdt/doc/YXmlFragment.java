package dev.tandem.crdt.doc;

import dev.tandem.crdt.struct.ContentType;
import java.util.ArrayList;
import java.util.List;

/** Y.XmlFragment: a list of XML nodes (elements, texts, hooks). */
public class YXmlFragment extends AbstractType {
  private List<Object> prelim = new ArrayList<>();

  public YXmlFragment() {}

  @Override
  int typeRef() {
    return ContentType.Y_XML_FRAGMENT;
  }

  @Override
  AbstractType copyEmpty() {
    return new YXmlFragment();
  }

  @Override
  void integrate(Doc y, DocItem item) {
    super.integrate(y, item);
    List<Object> p = prelim;
    prelim = null;
    doc.transact(tr -> listInsertGenerics(tr, 0, p));
  }

  @Override
  void callObserver(Transaction tr, java.util.Set<String> subs) {}

  public int length() {
    return prelim != null ? prelim.size() : (int) length;
  }

  public void insert(int index, List<? extends AbstractType> content) {
    if (doc == null) {
      prelim.addAll(index, content);
      return;
    }
    doc.transact(tr -> listInsertGenerics(tr, index, content));
  }

  /** Inserts after {@code ref} (null: at the start). */
  public void insertAfter(AbstractType ref, List<? extends AbstractType> content) {
    if (doc == null) {
      int i = ref == null ? 0 : prelim.indexOf(ref) + 1;
      prelim.addAll(i, content);
      return;
    }
    doc.transact(tr -> listInsertGenericsAfter(tr, ref == null ? null : ref.item, content));
  }

  public void push(List<? extends AbstractType> content) {
    insert(length(), content);
  }

  public void delete(int index, int length) {
    if (doc == null) {
      prelim.subList(index, index + length).clear();
      return;
    }
    doc.transact(tr -> listDelete(tr, index, length));
  }

  public AbstractType get(int index) {
    return (AbstractType) listGet(index);
  }

  public List<Object> toArray() {
    return doc == null ? new ArrayList<>(prelim) : listToArray();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Object c : listToArray()) {
      sb.append(JsValues.string(c));
    }
    return sb.toString();
  }

  @Override
  public Object toJSON() {
    return toString();
  }

  /** The fragment as y-prosemirror's yXmlFragmentToProsemirrorJSON renders it. */
  public java.util.Map<String, Object> toProsemirrorJSON() {
    return ProsemirrorJson.fragment(this);
  }
}
