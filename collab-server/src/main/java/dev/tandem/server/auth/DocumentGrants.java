package dev.tandem.server.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code docs} claim: which documents a token opens and how. Keys are exact document names or
 * prefix patterns (ending in {@code *}: {@code "team-a/*"} matches every name starting with
 * {@code team-a/}; {@code "*"} alone matches every document); values are {@code "rw"} (read-write) or
 * {@code "ro"} (read-only). An exact name wins over every pattern; among patterns the longest prefix
 * wins, so {@code {"team-a/*": "rw", "team-a/archive/*": "ro"}} makes the archive read-only.
 */
public final class DocumentGrants {
  private static final int MAX_ENTRIES = 1000;
  private static final DocumentGrants NONE = new DocumentGrants(Map.of(), List.of());

  private final Map<String, Access> exact;
  /** Longest prefix first. */
  private final List<Map.Entry<String, Access>> prefixes;

  private DocumentGrants(Map<String, Access> exact, List<Map.Entry<String, Access>> prefixes) {
    this.exact = exact;
    this.prefixes = prefixes;
  }

  public static DocumentGrants none() {
    return NONE;
  }

  /** Every document with {@code access}. */
  public static DocumentGrants all(Access access) {
    return new DocumentGrants(Map.of(), List.of(Map.entry("", access)));
  }

  /**
   * Parses the claim value (a JSON object already decoded to a map; null = no documents). Throws
   * {@link AuthenticationException} when it is not an object of pattern to {@code "rw"} / {@code "ro"}.
   */
  public static DocumentGrants parse(Object claim) {
    if (claim == null) {
      return NONE;
    }
    Map<?, ?> map;
    if (claim instanceof Map<?, ?> m) {
      map = m;
    } else if (claim instanceof io.vertx.core.json.JsonObject o) {
      map = o.getMap();
    } else {
      throw new AuthenticationException("claim 'docs' must be an object of document name or pattern to \"rw\" or \"ro\"");
    }
    if (map.size() > MAX_ENTRIES) {
      throw new AuthenticationException("claim 'docs' has more than " + MAX_ENTRIES + " entries");
    }
    Map<String, Access> exact = new HashMap<>();
    List<Map.Entry<String, Access>> prefixes = new ArrayList<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String pattern = String.valueOf(e.getKey());
      if (pattern.isEmpty()) {
        throw new AuthenticationException("claim 'docs' has an empty document pattern");
      }
      Access access;
      if ("rw".equals(e.getValue())) {
        access = Access.READ_WRITE;
      } else if ("ro".equals(e.getValue())) {
        access = Access.READ_ONLY;
      } else {
        throw new AuthenticationException("claim 'docs': the value for '" + shorten(pattern) + "' must be \"rw\" or \"ro\"");
      }
      if (pattern.endsWith("*")) {
        String prefix = pattern.substring(0, pattern.length() - 1);
        if (prefix.indexOf('*') >= 0) {
          throw new AuthenticationException("claim 'docs': '*' may only end a pattern: '" + shorten(pattern) + "'");
        }
        prefixes.add(Map.entry(prefix, access));
      } else {
        if (pattern.indexOf('*') >= 0) {
          throw new AuthenticationException("claim 'docs': '*' may only end a pattern: '" + shorten(pattern) + "'");
        }
        exact.put(pattern, access);
      }
    }
    prefixes.sort(Comparator.comparingInt((Map.Entry<String, Access> e) -> e.getKey().length()).reversed());
    return new DocumentGrants(Map.copyOf(exact), List.copyOf(prefixes));
  }

  private static String shorten(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }

  /** The access granted to {@code document}, or null when the token does not open it. */
  public Access access(String document) {
    Access a = exact.get(document);
    if (a != null) {
      return a;
    }
    for (Map.Entry<String, Access> p : prefixes) {
      if (document.startsWith(p.getKey())) {
        return p.getValue();
      }
    }
    return null;
  }
}
