package dev.tandem.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {
  @Test
  void defaultsAreTheFullMeasurement() {
    LoadOptions o = LoadOptions.parse(new String[0]);
    assertThat(o.documents()).isEqualTo(100);
    assertThat(o.clientsPerDocument()).isEqualTo(10);
    assertThat(o.ratePerClient()).isEqualTo(5.0);
    assertThat(o.warmUp()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.receiversPerUpdate()).isEqualTo(9);
    assertThat(o.url()).isNull();
    assertThat(o.protocol()).isEqualTo(LoadOptions.Protocol.Y_WEBSOCKET);
  }

  @Test
  void parsesTheProtocol() {
    assertThat(LoadOptions.parse(new String[] {"--protocol=hocuspocus"}).protocol())
        .isEqualTo(LoadOptions.Protocol.HOCUSPOCUS);
    assertThat(LoadOptions.parse(new String[] {"--protocol", "y-websocket"}).protocol())
        .isEqualTo(LoadOptions.Protocol.Y_WEBSOCKET);
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--protocol=socket.io"}))
        .hasMessageContaining("y-websocket or hocuspocus");
  }

  @Test
  void parsesBothSpellings() {
    LoadOptions o = LoadOptions.parse(new String[] {"--docs=5", "--clients", "3", "--duration=1.5s", "--warmup=500ms",
        "--server-arg=--embedded-redis.fsync=everysec", "--server-arg", "--log.level=warn", "--keep-data"});
    assertThat(o.documents()).isEqualTo(5);
    assertThat(o.clientsPerDocument()).isEqualTo(3);
    assertThat(o.duration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(o.warmUp()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.serverArgs()).containsExactly("--embedded-redis.fsync=everysec", "--log.level=warn");
    assertThat(o.keepData()).isTrue();
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--nope=1"})).hasMessageContaining("--nope");
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--clients=1"})).hasMessageContaining("at least 2");
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--docs=0"})).hasMessageContaining("positive");
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--duration=abc"})).hasMessageContaining("duration");
  }
}
