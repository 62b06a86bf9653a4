package dev.tandem.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds a {@link ServerConfig} from four layers, later ones winning: built-in defaults, an optional
 * JSON config file ({@code --config FILE} or {@code TANDEM_CONFIG}), {@code TANDEM_*} environment
 * variables, command-line options ({@code --key=value} or {@code --key value}).
 *
 * <p>The config file is one JSON object whose keys are setting keys, either flat
 * ({@code {"http.port": 8080}}) or nested ({@code {"http": {"port": 8080}}}); values may be strings,
 * numbers or booleans. An unknown key in any layer (including any {@code TANDEM_*} environment
 * variable that is not a setting) and every invalid value raise {@link ConfigException}.
 */
public final class ConfigLoader {
  /** Environment variable naming the config file (the CLI option {@code --config} wins over it). */
  public static final String CONFIG_ENV = "TANDEM_CONFIG";

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .build();

  private ConfigLoader() {}

  /** Loads from the process environment. */
  public static ServerConfig load(String[] args) {
    return load(args, System.getenv());
  }

  public static ServerConfig load(String[] args, Map<String, String> env) {
    Map<Setting<?>, Raw> chosen = new LinkedHashMap<>();

    Map<String, Raw> cli = parseCli(args);
    Raw configFile = cli.remove("config");
    if (configFile == null && env.containsKey(CONFIG_ENV) && !env.get(CONFIG_ENV).isBlank()) {
      configFile = new Raw(env.get(CONFIG_ENV), "env " + CONFIG_ENV);
    }
    if (configFile != null) {
      for (Map.Entry<String, Raw> e : readFile(Path.of(configFile.value())).entrySet()) {
        put(chosen, e.getKey(), e.getValue());
      }
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith("TANDEM_") || name.equals(CONFIG_ENV)) {
        continue;
      }
      Setting<?> s = Settings.BY_ENV.get(name);
      if (s == null) {
        throw new ConfigException(null, "env " + name, "unknown environment variable " + name
            + " (every TANDEM_* variable must be a setting; see README, Configuration)");
      }
      put(chosen, s.key(), new Raw(e.getValue(), "env " + name));
    }
    for (Map.Entry<String, Raw> e : cli.entrySet()) {
      put(chosen, e.getKey(), e.getValue());
    }
    return build(chosen);
  }

  private static void put(Map<Setting<?>, Raw> chosen, String key, Raw raw) {
    Setting<?> s = Settings.BY_KEY.get(key);
    if (s == null) {
      throw new ConfigException(key, raw.source(), "unknown key '" + key + "' (see README, Configuration)");
    }
    // Validate every layer's value, even one a later layer overrides: a typo should not hide.
    parse(s, raw);
    chosen.put(s, raw);
  }

  private static <T> T parse(Setting<T> s, Raw raw) {
    try {
      return s.parse(raw.value());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(s.key(), raw.source(), "invalid value: " + e.getMessage(), e);
    }
  }

  private static <T> T get(Map<Setting<?>, Raw> chosen, Setting<T> s) {
    Raw raw = chosen.getOrDefault(s, new Raw(s.defaultValue(), "default"));
    return parse(s, raw);
  }

  private static ServerConfig build(Map<Setting<?>, Raw> c) {
    String nodeId = get(c, Settings.NODE_ID);
    if (nodeId.isEmpty()) {
      nodeId = generatedNodeId();
    }
    String redisUrl = get(c, Settings.REDIS_URL);
    return new ServerConfig(
        get(c, Settings.HTTP_HOST),
        get(c, Settings.HTTP_PORT),
        redisUrl,
        get(c, Settings.KEY_PREFIX),
        get(c, Settings.BREAKER_MAX_FAILURES),
        get(c, Settings.BREAKER_TIMEOUT),
        get(c, Settings.BREAKER_RESET_TIMEOUT),
        get(c, Settings.WRITE_BUFFER_MAX_UPDATES),
        get(c, Settings.WRITE_BUFFER_MAX_BYTES),
        get(c, Settings.DATA_DIR),
        get(c, Settings.EMBEDDED_FSYNC),
        nodeId,
        get(c, Settings.COMPACTION_MAX_ENTRIES),
        get(c, Settings.COMPACTION_MAX_BYTES),
        get(c, Settings.AWARENESS_TTL),
        get(c, Settings.SESSION_EVICTION_GRACE),
        get(c, Settings.SESSION_OFFLOAD_BYTES),
        get(c, Settings.WS_MAX_MESSAGE_SIZE),
        get(c, Settings.WS_PING_INTERVAL),
        get(c, Settings.DRAIN_TIMEOUT),
        get(c, Settings.DRAIN_STAGGER),
        get(c, Settings.LOG_FORMAT),
        get(c, Settings.LOG_LEVEL),
        auth(c, redisUrl),
        new GuardSettings(get(c, Settings.GUARDS_MAX_CONNECTIONS), get(c, Settings.GUARDS_MAX_DOCUMENTS),
            get(c, Settings.GUARDS_MAX_CONNECTIONS_PER_DOCUMENT), get(c, Settings.GUARDS_MAX_DOCUMENT_SIZE),
            get(c, Settings.GUARDS_MESSAGE_RATE), get(c, Settings.GUARDS_MESSAGE_BURST),
            get(c, Settings.GUARDS_BYTE_RATE), get(c, Settings.GUARDS_BYTE_BURST),
            get(c, Settings.GUARDS_OUTBOUND_QUEUE), get(c, Settings.GUARDS_MAX_HEAP_USED),
            get(c, Settings.GUARDS_MAX_EVENT_LOOP_LAG), get(c, Settings.GUARDS_LAG_PROBE_INTERVAL),
            get(c, Settings.GUARDS_LAG_PROBE_WEIGHT), get(c, Settings.GUARDS_RETRY_AFTER), get(c, Settings.GUARDS_CAPACITY_WARNING),
            get(c, Settings.GUARDS_MONITOR_INTERVAL)),
        new TuningSettings(get(c, Settings.EVENT_LOOPS), get(c, Settings.REDIS_POOL_SIZE),
            get(c, Settings.REDIS_POOL_WAITING)));
  }

  /**
   * {@code auth.mode} unset: {@code none} only with the embedded Redis (local development), {@code jwt}
   * as soon as {@code redis.url} is configured. {@code jwt} without any key stops the start.
   */
  private static AuthSettings auth(Map<Setting<?>, Raw> c, String redisUrl) {
    AuthMode configured = get(c, Settings.AUTH_MODE);
    AuthMode mode = configured != null ? configured : redisUrl.isEmpty() ? AuthMode.NONE : AuthMode.JWT;
    AuthSettings a = new AuthSettings(mode, get(c, Settings.AUTH_JWT_SECRET), get(c, Settings.AUTH_JWT_PUBLIC_KEYS),
        get(c, Settings.AUTH_JWT_JWKS), get(c, Settings.AUTH_JWT_ISSUER), get(c, Settings.AUTH_JWT_AUDIENCE),
        get(c, Settings.AUTH_JWT_LEEWAY), configured != null);
    if (mode == AuthMode.JWT && !a.hasKeys()) {
      Raw raw = c.get(Settings.AUTH_MODE);
      throw new ConfigException(Settings.AUTH_MODE.key(), raw != null ? raw.source() : "default",
          "authentication is required (auth.mode=jwt" + (configured == null ? ", the default when redis.url is set" : "")
          + ") but no key is configured: set auth.jwt.secret (TANDEM_AUTH_JWT_SECRET), auth.jwt.public-keys"
          + " (TANDEM_AUTH_JWT_PUBLIC_KEYS) or auth.jwt.jwks (TANDEM_AUTH_JWT_JWKS); auth.mode=none (TANDEM_AUTH=none)"
          + " is for local development only");
    }
    return a;
  }

  private static String generatedNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "node";
    }
    host = host.replaceAll("[^A-Za-z0-9._-]", "-");
    if (host.length() > 100) {
      host = host.substring(0, 100);
    }
    return host + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
  }

  private static Map<String, Raw> parseCli(String[] args) {
    Map<String, Raw> out = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || a.length() == 2) {
        throw new ConfigException(null, "cli " + a, "unexpected argument '" + a + "' (options are --key=value)");
      }
      String key;
      String value;
      int eq = a.indexOf('=');
      if (eq >= 0) {
        key = a.substring(2, eq);
        value = a.substring(eq + 1);
      } else {
        key = a.substring(2);
        if (i + 1 >= args.length) {
          throw new ConfigException(key.equals("config") ? null : key, "cli " + a, "missing value for " + a);
        }
        value = args[++i];
      }
      if (!key.equals("config") && !Settings.BY_KEY.containsKey(key)) {
        throw new ConfigException(key, "cli --" + key, "unknown option --" + key + " (see README, Configuration)");
      }
      out.put(key, new Raw(value, "cli --" + key));
    }
    return out;
  }

  static Map<String, Raw> readFile(Path file) {
    String source = "file " + file;
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new ConfigException(null, source, "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException(null, source, "cannot read config file: " + e, e);
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(null, source, "must contain one JSON object");
    }
    Map<String, Raw> out = new LinkedHashMap<>();
    flatten("", root, source, out);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, String source, Map<String, Raw> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject()) {
        if (Settings.BY_KEY.containsKey(key)) {
          throw new ConfigException(key, source, "must be a string, number or boolean, not an object");
        }
        flatten(key, v, source, out);
      } else if (v.isValueNode() && !v.isNull()) {
        if (!Settings.BY_KEY.containsKey(key)) {
          throw new ConfigException(key, source, "unknown key '" + key + "' (see README, Configuration)");
        }
        if (out.containsKey(key)) {
          throw new ConfigException(key, source, "key given twice");
        }
        out.put(key, new Raw(v.asText(), source));
      } else {
        throw new ConfigException(key, source, "must be a string, number or boolean");
      }
    }
  }

  /** A raw textual value and where it came from. */
  record Raw(String value, String source) {}
}
