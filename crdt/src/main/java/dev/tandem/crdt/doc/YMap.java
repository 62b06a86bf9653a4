package dev.tandem.crdt.doc;

import dev.tandem.crdt.struct.ContentType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Y.Map. */
public class YMap extends AbstractType {
  private Map<String, Object> prelim = new LinkedHashMap<>();

  public YMap() {}

  @Override
  int typeRef() {
    return ContentType.Y_MAP;
  }

  @Override
  AbstractType copyEmpty() {
    return new YMap();
  }

  @Override
  void integrate(Doc y, DocItem item) {
    super.integrate(y, item);
    Map<String, Object> p = prelim;
    prelim = null;
    if (p != null) {
      for (Map.Entry<String, Object> e : p.entrySet()) {
        set(e.getKey(), e.getValue());
      }
    }
  }

  /** Sets a key to a lib0 any value, {@code byte[]}, a {@link Subdoc} or a new shared type. */
  public void set(String key, Object value) {
    if (doc == null) {
      prelim.put(key, value);
      return;
    }
    doc.transact(tr -> mapSet(tr, key, value));
  }

  public Object get(String key) {
    return doc == null ? prelim.get(key) : mapGet(key);
  }

  public boolean has(String key) {
    return doc == null ? prelim.containsKey(key) : mapHas(key);
  }

  public void delete(String key) {
    if (doc == null) {
      prelim.remove(key);
      return;
    }
    doc.transact(tr -> mapDelete(tr, key));
  }

  /** Live keys in the map's insertion order (as Yjs's keys()). */
  public List<String> keys() {
    return doc == null ? new ArrayList<>(prelim.keySet()) : mapKeys();
  }

  public int size() {
    return keys().size();
  }

  /** Live entries (values as stored: nested types stay types), JavaScript key order. */
  public Map<String, Object> entries() {
    return mapGetAll();
  }

  @Override
  public Object toJSON() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, DocItem> e : map.entrySet()) {
      if (!e.getValue().isDeleted()) {
        out.put(e.getKey(), Values.json(Values.last(e.getValue().content)));
      }
    }
    return jsOrdered(out);
  }

  @Override
  public String toString() {
    return "[object Object]";
  }
}
