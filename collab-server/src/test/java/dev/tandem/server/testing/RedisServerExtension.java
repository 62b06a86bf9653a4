package dev.tandem.server.testing;

import dev.tandem.server.config.FsyncPolicy;
import dev.tandem.server.redis.EmbeddedRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a real Redis per test class, with the same binary resolution as production
 * ({@link EmbeddedRedis}: redis-server 6.2+ on PATH, else the one bundled in the embedded-redis
 * jar), in a temporary data directory, on a free port; stops it and deletes the directory after the
 * class. Test methods and constructors may take an {@link EmbeddedRedis} parameter.
 *
 * <p>Uses {@code appendfsync everysec}: the durability of the test Redis is not what these tests
 * check, and per-write fsync would only slow them down.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RedisServerExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path dir = Files.createTempDirectory("tandem-redis-test");
    EmbeddedRedis redis = EmbeddedRedis.start(new EmbeddedRedis.Options(dir).withFsync(FsyncPolicy.EVERYSEC));
    context.getStore(NS).put("dir", dir);
    context.getStore(NS).put("redis", redis);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    EmbeddedRedis redis = context.getStore(NS).remove("redis", EmbeddedRedis.class);
    Path dir = context.getStore(NS).remove("dir", Path.class);
    if (redis != null) {
      redis.stop();
    }
    if (dir != null) {
      deleteTree(dir);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == EmbeddedRedis.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    EmbeddedRedis r = find(e);
    if (r == null) {
      throw new IllegalStateException("RedisServerExtension did not start");
    }
    return r;
  }

  private static EmbeddedRedis find(ExtensionContext e) {
    for (ExtensionContext c = e; c != null; c = c.getParent().orElse(null)) {
      EmbeddedRedis r = c.getStore(NS).get("redis", EmbeddedRedis.class);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
