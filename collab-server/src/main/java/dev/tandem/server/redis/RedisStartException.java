package dev.tandem.server.redis;

/** The embedded Redis could not be started (no binary, process died, timeout, I/O error). */
public class RedisStartException extends RuntimeException {
  public RedisStartException(String message) {
    super(message);
  }

  public RedisStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
