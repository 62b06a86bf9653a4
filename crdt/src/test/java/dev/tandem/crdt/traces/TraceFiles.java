package dev.tandem.crdt.traces;

import dev.tandem.crdt.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Locates and reads the editing-trace files ({@code tandem.traces.dir}). */
final class TraceFiles {
  private TraceFiles() {}

  static Path dir() {
    String prop = System.getProperty("tandem.traces.dir");
    Path p = prop != null ? Path.of(prop) : Path.of("../../shared/data/editing-traces");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException(
          "editing traces not found at " + p.toAbsolutePath() + " (system property tandem.traces.dir)");
    }
    return p;
  }

  static List<String> names(String sub) {
    try (Stream<Path> files = Files.list(dir().resolve(sub))) {
      List<String> out = new ArrayList<>();
      files.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".json.gz"))
          .sorted()
          .forEach(n -> out.add(n.substring(0, n.length() - ".json.gz".length())));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> read(String sub, String name) {
    Path file = dir().resolve(sub).resolve(name + ".json.gz");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
      return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trace " + file, e);
    }
  }

  static int num(Object o) {
    return ((Number) o).intValue();
  }

  @SuppressWarnings("unchecked")
  static List<Patch> patches(Object raw) {
    List<Patch> out = new ArrayList<>();
    for (Object p : (List<Object>) raw) {
      List<Object> t = (List<Object>) p;
      out.add(new Patch(num(t.get(0)), num(t.get(1)), (String) t.get(2)));
    }
    return out;
  }

  static boolean hasAstral(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
