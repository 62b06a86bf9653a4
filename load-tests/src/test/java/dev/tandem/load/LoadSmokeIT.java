package dev.tandem.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI smoke run of the load harness against a real collab-server child process (the jar the reactor
 * packaged before this module): 5 documents x 3 clients x 5 updates/s for 5 s. Asserts that the run
 * completes, loses no delivery and produces the report; it asserts nothing about timing.
 */
class LoadSmokeIT {
  @TempDir
  Path work;

  @Test
  @Timeout(240)
  void smallRunLosesNothingAndReports() throws Exception {
    Path jar = Path.of("").toAbsolutePath().getParent().resolve("collab-server/target/collab-server.jar");
    assertThat(jar).as("collab-server jar (packaged by the reactor before load-tests)").isRegularFile();
    LoadOptions options = LoadOptions.defaults().with(b -> {
      b.serverJar = jar;
      b.serverJvmOpts = "-Xmx512m";
      b.documents = 5;
      b.clients = 3;
      b.rate = 5;
      b.rampUp = Duration.ofMillis(500);
      b.warmUp = Duration.ofSeconds(1);
      b.duration = Duration.ofSeconds(5);
      b.drain = Duration.ofSeconds(15);
      b.workDir = work;
    });

    LoadReport report = new LoadHarness(options, System.err).run();
    LoadAssertions.assertNothingLost(report, 15);
    assertThat(report.expectedDeliveries).isEqualTo(report.updatesSent * 2);
    assertThat(report.contentCheck).startsWith("ok");
    assertThat(report.serverCpuPercent).isGreaterThanOrEqualTo(0);
    assertThat(report.toTable()).contains("p99", "missing deliveries", "server CPU", "PASS");
    String json = report.toJson().encode();
    assertThat(json).doesNotContain("\n").contains("\"p99\"", "\"missingDeliveries\":0", "\"passed\":true");

    // the child server and its Redis are gone
    assertThat(Files.readString(work.resolve("server.log"))).isNotEmpty();
    assertThat(ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(work.toString())).count()).isZero();
  }
}
