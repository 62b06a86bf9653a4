package dev.tandem.server.config;

/**
 * Invalid configuration: an unknown key, a value that does not parse or is out of range, or an
 * unreadable config file. Startup stops with this exception; {@link #key()} names the offending
 * key (the config-file key, e.g. {@code http.port}) and {@link #source()} where it came from.
 */
public final class ConfigException extends RuntimeException {
  private final String key;
  private final String source;

  public ConfigException(String key, String source, String message) {
    super("configuration " + (key == null ? "" : "key '" + key + "' ") + "from " + source + ": " + message);
    this.key = key;
    this.source = source;
  }

  public ConfigException(String key, String source, String message, Throwable cause) {
    this(key, source, message);
    initCause(cause);
  }

  /** The config-file key at fault, or {@code null} when the problem is not about one key. */
  public String key() {
    return key;
  }

  /** Where the bad value came from: {@code default}, {@code file <path>}, {@code env VAR}, {@code cli --x}. */
  public String source() {
    return source;
  }
}
