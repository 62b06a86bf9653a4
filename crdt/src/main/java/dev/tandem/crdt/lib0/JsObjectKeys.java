package dev.tandem.crdt.lib0;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JavaScript's {@code Object.keys} order: array-index keys (canonical integers below 2^32-1)
 * ascending first, then the other string keys in insertion order. An object that Yjs decodes
 * and re-encodes comes out in this order, so ours must too.
 */
public final class JsObjectKeys {
  private JsObjectKeys() {}

  public static List<String> ordered(Map<?, ?> map) {
    List<String> indexKeys = null;
    List<String> others = new ArrayList<>(map.size());
    for (Object k : map.keySet()) {
      if (!(k instanceof String key)) {
        throw new IllegalArgumentException("object keys must be strings: " + k);
      }
      if (isArrayIndex(key)) {
        if (indexKeys == null) {
          indexKeys = new ArrayList<>();
        }
        indexKeys.add(key);
      } else {
        others.add(key);
      }
    }
    if (indexKeys == null) {
      return others;
    }
    indexKeys.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    indexKeys.addAll(others);
    return indexKeys;
  }

  static boolean isArrayIndex(String key) {
    int n = key.length();
    if (n == 0 || n > 10) {
      return false;
    }
    if (n > 1 && key.charAt(0) == '0') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return Long.parseLong(key) < 0xFFFFFFFFL;
  }
}
