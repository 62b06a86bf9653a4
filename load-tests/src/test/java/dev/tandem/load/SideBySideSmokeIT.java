package dev.tandem.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI smoke run of the side-by-side comparison's parts (load-tests/run-side-by-side.sh): the
 * harness's Hocuspocus clients against Tandem's {@code /hocuspocus} endpoint and against a real
 * Hocuspocus 3.4.4, and its y-websocket clients against the reference y-websocket server
 * ({@code @y/websocket-server} 0.1.1). Each small run must lose no delivery and measure the peer
 * process; nothing is asserted about speed.
 */
class SideBySideSmokeIT {
  @TempDir
  Path work;

  private LoadOptions small(LoadOptions.Protocol protocol) {
    return LoadOptions.defaults().with(b -> {
      b.protocol = protocol;
      b.documents = 4;
      b.clients = 3;
      b.rate = 5;
      b.rampUp = Duration.ofMillis(500);
      b.warmUp = Duration.ofSeconds(1);
      b.duration = Duration.ofSeconds(3);
      b.drain = Duration.ofSeconds(15);
      b.workDir = work;
    });
  }

  @Test
  @Timeout(180)
  void hocuspocusClientsAgainstTandem() throws Exception {
    Path jar = Path.of("").toAbsolutePath().getParent().resolve("collab-server/target/collab-server.jar");
    LoadReport report = new LoadHarness(small(LoadOptions.Protocol.HOCUSPOCUS).with(b -> {
      b.serverJar = jar;
      b.serverJvmOpts = "-Xmx512m";
    }), System.err).run();
    LoadAssertions.assertNothingLost(report, 12);
    assertThat(report.protocol).isEqualTo("hocuspocus");
    assertThat(report.contentCheck).startsWith("ok");
  }

  @Test
  @Timeout(180)
  void hocuspocusClientsAgainstHocuspocus() throws Exception {
    againstPeer("hocuspocus-server.mjs", LoadOptions.Protocol.HOCUSPOCUS);
  }

  @Test
  @Timeout(180)
  void yWebsocketClientsAgainstTheReferenceServer() throws Exception {
    againstPeer("y-websocket-server.mjs", LoadOptions.Protocol.Y_WEBSOCKET);
  }

  /** A small run against the peer {@code script} starts; the peer is a measured Node process. */
  private void againstPeer(String script, LoadOptions.Protocol protocol) throws Exception {
    try (PeerServer peer = PeerServer.start(script, work)) {
      LoadReport report = new LoadHarness(small(protocol).with(b -> {
        b.url = peer.url();
        b.serverPid = peer.pid();
        b.checkContent = false;
      }), System.err).run();
      LoadAssertions.assertNothingLost(report, 12);
      assertThat(report.protocol).isEqualTo(protocol.option);
      assertThat(report.serverCpuPercent).isGreaterThanOrEqualTo(0);
      assertThat(report.serverRssMaxBytes).isPositive();
      assertThat(report.heapProbe).isEqualTo("none"); // a Node process: no JVM to attach to
    }
  }
}
