package dev.tandem.server.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration knob: its config-file key, the environment variable and command-line option
 * derived from that key, its default and the parser that validates a raw value.
 *
 * <p>Environment variable: {@code TANDEM_} + key upper-cased with {@code .} and {@code -} turned into
 * {@code _} ({@code http.port} becomes {@code TANDEM_HTTP_PORT}). CLI: {@code --http.port=1234} or
 * {@code --http.port 1234}. One exception: {@code auth.mode} is {@code TANDEM_AUTH}.
 */
public final class Setting<T> {
  private final String key;
  private final String env;
  private final String defaultValue;
  private final Function<String, T> parser;

  Setting(String key, String defaultValue, Function<String, T> parser) {
    this(key, envName(key), defaultValue, parser);
  }

  /** A setting whose environment variable is not derived from its key (e.g. {@code TANDEM_AUTH}). */
  Setting(String key, String env, String defaultValue, Function<String, T> parser) {
    this.key = key;
    this.env = env;
    this.defaultValue = defaultValue;
    this.parser = parser;
  }

  public String key() {
    return key;
  }

  public String env() {
    return env;
  }

  public String cli() {
    return "--" + key;
  }

  /** The default, in the same textual form an environment variable would use. */
  public String defaultValue() {
    return defaultValue;
  }

  /** Parses a raw value; throws {@link IllegalArgumentException} with a human reason when invalid. */
  T parse(String raw) {
    return parser.apply(raw);
  }

  static String envName(String key) {
    return "TANDEM_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
