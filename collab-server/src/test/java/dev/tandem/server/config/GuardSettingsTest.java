package dev.tandem.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code guards.*} settings: defaults, file / environment / CLI, invalid values naming the key. */
class GuardSettingsTest {
  @TempDir Path dir;

  @Test
  void defaults() {
    GuardSettings g = ConfigLoader.load(new String[0], Map.of()).guards();
    assertThat(g.maxConnections()).isEqualTo(10_000);
    assertThat(g.maxDocuments()).isEqualTo(10_000);
    assertThat(g.maxConnectionsPerDocument()).isEqualTo(1000);
    assertThat(g.maxDocumentSize()).isEqualTo(32L << 20);
    assertThat(g.messageRate()).isEqualTo(200);
    assertThat(g.messageBurst()).isEqualTo(1000);
    assertThat(g.byteRate()).isEqualTo(4L << 20);
    assertThat(g.byteBurst()).isEqualTo(32L << 20);
    assertThat(g.outboundQueue()).isEqualTo(64L << 20);
    assertThat(g.maxHeapUsed()).isEqualTo(0.9);
    assertThat(g.maxEventLoopLag()).isEqualTo(Duration.ofSeconds(1));
    assertThat(g.lagProbeInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(g.lagProbeWeight()).isEqualTo(0.25);
    assertThat(g.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(g.retryAfterSeconds()).isEqualTo(5);
    assertThat(g.capacityWarning()).isEqualTo(0.75);
    assertThat(g.monitorInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void sources() throws Exception {
    Path file = dir.resolve("g.json");
    Files.writeString(file, "{\"guards\": {\"max-connections\": 5, \"max-heap-used\": \"0.8\"}}");
    GuardSettings g = ConfigLoader.load(new String[] {"--guards.byte-rate=1MiB", "--guards.retry-after=1500ms",
        "--guards.lag-probe-weight=0.5"},
        Map.of("TANDEM_CONFIG", file.toString(), "TANDEM_GUARDS_MAX_DOCUMENT_SIZE", "2MiB",
            "TANDEM_GUARDS_CAPACITY_WARNING", "60%")).guards();
    assertThat(g.maxConnections()).isEqualTo(5);
    assertThat(g.maxHeapUsed()).isEqualTo(0.8);
    assertThat(g.byteRate()).isEqualTo(1L << 20);
    assertThat(g.maxDocumentSize()).isEqualTo(2L << 20);
    assertThat(g.capacityWarning()).isEqualTo(0.6);
    assertThat(g.retryAfterSeconds()).isEqualTo(2); // rounded up to whole seconds
    assertThat(g.lagProbeWeight()).isEqualTo(0.5);
  }

  @Test
  void invalidValuesNameTheKey() {
    for (String bad : new String[] {"--guards.max-connections=0", "--guards.max-heap-used=120%",
        "--guards.max-heap-used=0", "--guards.capacity-warning=lots", "--guards.message-rate=-1",
        "--guards.max-event-loop-lag=0s", "--guards.outbound-queue=0", "--guards.max-documents=x",
        "--guards.lag-probe-weight=0", "--guards.lag-probe-weight=150%"}) {
      String key = bad.substring(2, bad.indexOf('='));
      assertThatThrownBy(() -> ConfigLoader.load(new String[] {bad}, Map.of())).as(bad)
          .isInstanceOf(ConfigException.class).hasMessageContaining(key);
    }
  }
}
