package dev.tandem.crdt.differential;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Addresses a shared type: a root ({@code doc.get(root, rootType)}) followed by path steps. A
 * {@link String} step is a key into a Y.Map; an {@link Integer} step an index into a Y.Array or
 * into the children of a Y.XmlFragment / Y.XmlElement. Every step must land on a shared type.
 */
public record Target(String root, RootType rootType, List<Object> path) {
  public Target {
    path = List.copyOf(path);
    for (Object step : path) {
      if (!(step instanceof String) && !(step instanceof Integer)) {
        throw new IllegalArgumentException("path steps are String or Integer: " + step);
      }
    }
  }

  public static Target root(String name, RootType type) {
    return new Target(name, type, List.of());
  }

  /** This target extended by one step. */
  public Target then(Object step) {
    List<Object> p = new ArrayList<>(path);
    p.add(step);
    return new Target(root, rootType, p);
  }

  public Map<String, Object> toWire() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("root", root);
    m.put("rootType", rootType.wire());
    List<Object> p = new ArrayList<>();
    for (Object step : path) {
      p.add(step instanceof Integer i ? (Object) i.doubleValue() : step);
    }
    m.put("path", p);
    return m;
  }

  @Override
  public String toString() {
    return root + ":" + rootType.wire() + path;
  }
}
