package dev.tandem.server.redis;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds the {@code redis-server} executable for the embedded mode: a {@code redis-server} on
 * {@code PATH} whose version is at least 6.2, else the binary for this OS/CPU shipped as a resource
 * in the {@code com.github.codemonstur:embedded-redis} jar (named
 * {@code redis-server-<version>-<os>-<arch>} at the jar root), extracted into a folder the caller
 * chooses and made executable.
 */
public final class RedisBinary {
  /** Oldest Redis the store's commands and scripts support (XTRIM MINID, exclusive XRANGE bounds). */
  static final int[] MIN_VERSION = {6, 2};

  private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.(\\d+)\\.(\\d+)");
  private static final String MARKER_CLASS = "redis/embedded/RedisServer.class";

  private final Path path;
  private final String origin;

  private RedisBinary(Path path, String origin) {
    this.path = path;
    this.origin = origin;
  }

  /** The executable to run. */
  public Path path() {
    return path;
  }

  /** Human description: "redis-server on PATH" or "bundled in embedded-redis jar (resource name)". */
  public String origin() {
    return origin;
  }

  /** Resolves the binary; extraction (when needed) goes to {@code extractDir}. Blocking. */
  public static RedisBinary resolve(Path extractDir) {
    Optional<Path> onPath = findOnPath();
    if (onPath.isPresent()) {
      Optional<int[]> v = version(onPath.get());
      if (v.isPresent() && atLeast(v.get(), MIN_VERSION)) {
        return new RedisBinary(onPath.get(), "redis-server on PATH (" + onPath.get() + ")");
      }
      System.getLogger(RedisBinary.class.getName()).log(System.Logger.Level.WARNING,
          "ignoring " + onPath.get() + ": Redis 6.2 or newer is required; using the bundled binary");
    }
    return extractBundled(extractDir);
  }

  /** Always the bundled binary (tests use this to be independent of the machine). */
  public static RedisBinary extractBundled(Path extractDir) {
    String resource = bundledResourceName();
    Path target = extractDir.resolve(resource);
    try {
      Files.createDirectories(extractDir);
      URL url = RedisBinary.class.getClassLoader().getResource(resource);
      if (url == null) {
        throw new RedisStartException("bundled Redis resource " + resource + " not found on the class path");
      }
      long size = url.openConnection().getContentLengthLong();
      if (!(Files.isRegularFile(target) && size > 0 && Files.size(target) == size && Files.isExecutable(target))) {
        Path tmp = Files.createTempFile(extractDir, resource, ".tmp");
        try (InputStream in = url.openStream()) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
          tmp.toFile().setExecutable(true);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new RedisStartException("cannot extract bundled Redis " + resource + " to " + extractDir + ": " + e, e);
    }
    return new RedisBinary(target, "bundled in the embedded-redis jar (" + resource + ")");
  }

  /** The resource name of the bundled binary for this OS/CPU, found by listing the jar. */
  static String bundledResourceName() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osPart;
    if (os.contains("linux")) {
      osPart = "linux";
    } else if (os.contains("mac") || os.contains("darwin")) {
      osPart = "darwin";
    } else {
      throw new RedisStartException("no bundled Redis 6.2+ for " + os + "; install redis-server 6.2+ on PATH or set redis.url");
    }
    String archPart = switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      default -> throw new RedisStartException("no bundled Redis for CPU " + arch + "; install redis-server 6.2+ on PATH or set redis.url");
    };
    String suffix = "-" + osPart + "-" + archPart;
    for (String name : listBundled()) {
      if (name.startsWith("redis-server-") && name.endsWith(suffix)) {
        return name;
      }
    }
    throw new RedisStartException("the embedded-redis jar has no binary for " + osPart + "/" + archPart
        + "; install redis-server 6.2+ on PATH or set redis.url");
  }

  /** Names of the {@code redis-server-*} resources next to the embedded-redis classes. */
  static List<String> listBundled() {
    List<String> out = new ArrayList<>();
    try {
      Enumeration<URL> markers = RedisBinary.class.getClassLoader().getResources(MARKER_CLASS);
      while (markers.hasMoreElements()) {
        URL marker = markers.nextElement();
        String s = marker.toString();
        if (s.startsWith("jar:file:")) {
          String jar = s.substring("jar:".length(), s.indexOf("!/"));
          try (ZipFile zip = new ZipFile(Path.of(new java.net.URI(jar)).toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
              String n = e.nextElement().getName();
              if (n.startsWith("redis-server-") && !n.contains("/")) {
                out.add(n);
              }
            }
          }
        } else if (s.startsWith("file:")) {
          Path root = Path.of(marker.toURI()).getParent().getParent().getParent();
          try (Stream<Path> files = Files.list(root)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("redis-server-")).forEach(out::add);
          }
        }
      }
    } catch (IOException | URISyntaxException e) {
      throw new RedisStartException("cannot list bundled Redis binaries: " + e, e);
    }
    out.sort(null);
    return out;
  }

  static Optional<Path> findOnPath() {
    String pathEnv = System.getenv("PATH");
    if (pathEnv == null) {
      return Optional.empty();
    }
    for (String dir : pathEnv.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Runs {@code redis-server --version}; empty when it fails or prints no version. */
  static Optional<int[]> version(Path binary) {
    try {
      Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readNBytes(4096);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      Matcher m = VERSION.matcher(new String(out, StandardCharsets.UTF_8));
      if (!m.find()) {
        return Optional.empty();
      }
      return Optional.of(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))});
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  static boolean atLeast(int[] v, int[] min) {
    for (int i = 0; i < min.length; i++) {
      if (v[i] != min[i]) {
        return v[i] > min[i];
      }
    }
    return true;
  }
}
