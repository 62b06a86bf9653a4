package dev.tandem.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.impl.types.ErrorType;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisGuardTest {
  @Test
  void errorRepliesCountOnlyWhenTheyMeanUnavailable() {
    assertThat(RedisGuard.countsAsFailure(Future.succeededFuture())).isFalse();
    assertThat(RedisGuard.countsAsFailure(Future.failedFuture(ErrorType.create("NOSCRIPT No matching script")))).isFalse();
    assertThat(RedisGuard.countsAsFailure(Future.failedFuture(ErrorType.create("WRONGTYPE Operation")))).isFalse();
    assertThat(RedisGuard.countsAsFailure(Future.failedFuture(ErrorType.create("LOADING Redis is loading")))).isTrue();
    assertThat(RedisGuard.countsAsFailure(Future.failedFuture(ErrorType.create("BUSY script running")))).isTrue();
    assertThat(RedisGuard.countsAsFailure(Future.failedFuture(new java.net.ConnectException("refused")))).isTrue();
    // the node's own pool is busy (a burst of commands): Redis was not asked
    assertThat(RedisGuard.countsAsFailure(Future.failedFuture(
        new io.vertx.core.http.ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 24")))).isFalse();
  }

  @Test
  void opensAfterMaxFailuresFailsFastAndProbesAgain() throws Exception {
    int closedPort;
    try (ServerSocket ss = new ServerSocket(0)) {
      closedPort = ss.getLocalPort();
    }
    Vertx vertx = Vertx.vertx();
    try {
      Redis raw = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + closedPort));
      RedisGuard guard = new RedisGuard(vertx, raw, new RedisGuard.Options(2, Duration.ofSeconds(1),
          Duration.ofSeconds(1)));
      Future<Void> available = guard.whenAvailable(vertx.getOrCreateContext());
      assertThat(available.succeeded()).isTrue(); // closed: at once
      for (int i = 0; i < 2; i++) {
        guard.redis().send(Request.cmd(Command.PING)).otherwiseEmpty().await(5, TimeUnit.SECONDS);
      }
      assertThat(guard.state()).isEqualTo(CircuitBreakerState.OPEN);
      assertThat(guard.unavailableSince()).isNotNull();
      assertThat(guard.lastFailure()).isNotEmpty();
      // open: fails at once, without trying Redis
      Future<?> fast = guard.redis().send(Request.cmd(Command.PING));
      fast.otherwiseEmpty().await(5, TimeUnit.SECONDS);
      assertThat(fast.cause()).isInstanceOf(OpenCircuitException.class);
      Future<Void> waiting = guard.whenAvailable(vertx.getOrCreateContext());
      assertThat(waiting.isComplete()).isFalse();
      // the probe keeps failing: the breaker cycles between half-open and open, never closes
      Thread.sleep(2500);
      assertThat(guard.state()).isNotEqualTo(CircuitBreakerState.CLOSED);
      assertThat(waiting.isComplete()).isFalse();
      guard.close();
      assertThat(waiting.otherwiseEmpty().await(5, TimeUnit.SECONDS)).isNull();
      assertThat(waiting.failed()).isTrue();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
