package dev.tandem.server.store;

import dev.tandem.server.DocumentNames;

/**
 * Redis key names (see docs/redis.md). Every per-document key carries the document name as its
 * Redis Cluster hash tag ({@code {name}}), so all keys of one document live in one slot and can be
 * used together in one Lua script. Document names never contain {@code {}} or {@code }}
 * ({@link DocumentNames}), so the tag is exactly the name.
 */
public final class RedisKeys {
  private final String prefix;

  public RedisKeys(String prefix) {
    if (prefix.contains("{") || prefix.contains("}")) {
      throw new IllegalArgumentException("key prefix must not contain braces: " + prefix);
    }
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  private String doc(String doc, String suffix) {
    return prefix + ":{" + doc + "}:" + suffix;
  }

  /** Stream: one entry per update, fields {@code u} (bytes), {@code n} (origin node), {@code c} (connection). */
  public String log(String doc) {
    return doc(doc, "log");
  }

  /** Hash: {@code s} snapshot bytes, {@code id} last stream id it covers, {@code v} version, {@code at} ms. */
  public String snapshot(String doc) {
    return doc(doc, "snap");
  }

  /** Hash: {@code logEntries}, {@code logBytes}, {@code snapBytes}, {@code created}, {@code changed}. */
  public String meta(String doc) {
    return doc(doc, "meta");
  }

  /** Hash: {@code s:<clientId>} state bytes, {@code e:<clientId>} expiry (ms); the key expires too. */
  public String awareness(String doc) {
    return doc(doc, "awareness");
  }

  /** Sorted set, all scores 0, members = document names (UTF-8), for lexicographic listing. */
  public String index() {
    return prefix + ":docs";
  }
}
