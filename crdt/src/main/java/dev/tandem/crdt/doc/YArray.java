package dev.tandem.crdt.doc;

import dev.tandem.crdt.struct.ContentType;
import java.util.ArrayList;
import java.util.List;

/** Y.Array. */
public class YArray extends AbstractType {
  private List<Object> prelim = new ArrayList<>();

  public YArray() {
    searchMarker = new ArrayList<>();
  }

  @Override
  int typeRef() {
    return ContentType.Y_ARRAY;
  }

  @Override
  AbstractType copyEmpty() {
    return new YArray();
  }

  @Override
  void integrate(Doc y, DocItem item) {
    super.integrate(y, item);
    List<Object> p = prelim;
    prelim = null;
    if (p != null && !p.isEmpty()) {
      insert(0, p);
    }
  }

  public int length() {
    return prelim != null ? prelim.size() : (int) length;
  }

  public void insert(int index, List<?> content) {
    if (doc == null) {
      prelim.addAll(index, content);
      return;
    }
    doc.transact(tr -> listInsertGenerics(tr, index, content));
  }

  public void push(List<?> content) {
    if (doc == null) {
      prelim.addAll(content);
      return;
    }
    doc.transact(tr -> listPushGenerics(tr, content));
  }

  public void unshift(List<?> content) {
    insert(0, content);
  }

  public void delete(int index) {
    delete(index, 1);
  }

  public void delete(int index, int length) {
    if (doc == null) {
      prelim.subList(index, index + length).clear();
      return;
    }
    doc.transact(tr -> listDelete(tr, index, length));
  }

  public Object get(int index) {
    return listGet(index);
  }

  public List<Object> toArray() {
    return doc == null ? new ArrayList<>(prelim) : listToArray();
  }

  @Override
  public Object toJSON() {
    List<Object> out = new ArrayList<>();
    for (Object v : listToArray()) {
      out.add(Values.json(v));
    }
    return out;
  }
}
