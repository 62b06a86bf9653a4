package dev.tandem.server.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A Lua script run with EVALSHA, falling back to EVAL (which caches it) on NOSCRIPT. */
final class LuaScript {
  private final String source;
  private final String sha;

  LuaScript(String source) {
    this.source = source;
    try {
      this.sha = HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  String sha() {
    return sha;
  }

  /** Arguments may be {@link String}, {@link Buffer}, {@code byte[]} or {@link Number}. */
  Future<Response> run(Redis redis, List<String> keys, List<?> args) {
    return redis.send(request(Command.EVALSHA, sha, keys, args)).recover(err -> {
      String msg = err.getMessage();
      if (msg != null && msg.startsWith("NOSCRIPT")) {
        return redis.send(request(Command.EVAL, source, keys, args));
      }
      return Future.failedFuture(err);
    });
  }

  /**
   * Runs the script and then {@code after} in one pipelined batch (one pooled connection, one round
   * trip). Completes with both replies; on NOSCRIPT the batch is sent again with EVAL.
   */
  Future<List<Response>> runThen(Redis redis, List<String> keys, List<?> args, Request after) {
    return redis.batch(List.of(request(Command.EVALSHA, sha, keys, args), after)).recover(err -> {
      String msg = err.getMessage();
      // a batch reports the failing command's index first: "ERR [0] NOSCRIPT ..."
      if (msg != null && (msg.startsWith("NOSCRIPT") || msg.contains("] NOSCRIPT"))) {
        return redis.batch(List.of(request(Command.EVAL, source, keys, args), after));
      }
      return Future.failedFuture(err);
    });
  }

  private static Request request(Command cmd, String first, List<String> keys, List<?> args) {
    Request r = Request.cmd(cmd).arg(first).arg(keys.size());
    for (String k : keys) {
      r.arg(k);
    }
    for (Object a : args) {
      if (a instanceof Buffer b) {
        r.arg(b);
      } else if (a instanceof byte[] b) {
        r.arg(b);
      } else if (a instanceof Number n) {
        r.arg(n.longValue());
      } else {
        r.arg(String.valueOf(a));
      }
    }
    return r;
  }
}
