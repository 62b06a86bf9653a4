package dev.tandem.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's Configuration table is the single source of truth; it must match {@link Settings}. */
class SettingsDocTest {
  @Test
  void readmeTableMatchesSettings() throws Exception {
    Path readme = Path.of("..", "README.md");
    List<String> rows = new ArrayList<>();
    boolean inSection = false;
    for (String line : Files.readAllLines(readme)) {
      if (line.startsWith("## ")) {
        inSection = line.trim().equals("## Configuration");
        continue;
      }
      if (inSection && line.startsWith("| `") ) {
        rows.add(line);
      }
    }
    List<String> expected = new ArrayList<>();
    for (Setting<?> s : Settings.ALL) {
      expected.add("| `" + s.key() + "` | `" + s.env() + "` | " + (s.defaultValue().isEmpty() ? "(empty)" : "`" + s.defaultValue() + "`") + " | ");
    }
    assertThat(rows).hasSameSizeAs(expected);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i)).startsWith(expected.get(i));
    }
  }
}
