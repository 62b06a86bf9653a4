package dev.tandem.crdt.cli;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.json.Json;
import dev.tandem.crdt.update.Updates;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code tandem-crdt} command-line tool for operators inspecting stored Yjs documents.
 * {@link #run} never throws and never prints a stack trace: errors are one line on stderr
 * ({@code tandem-crdt: ...}) and a non-zero status (1 bad data or failure, 2 usage). Set the
 * environment variable {@code TANDEM_CLI_DEBUG=1} to get the stack trace of an internal error.
 */
public final class Cli {
  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar tandem-crdt.jar <command> [options] [arguments]",
          "",
          "Update files are Yjs updates in format v1 or v2, detected automatically",
          "(--from v1|v2 forces one). Output updates keep the inputs' format unless --to says.",
          "",
          "  sv FILE                          state vector of an update as JSON {clientId: clock}",
          "  merge OUT FILE...                merge updates into one (Y.mergeUpdates) written to OUT",
          "  diff OUT UPDATE STATEVECTOR      the part of UPDATE that STATEVECTOR lacks (Y.diffUpdate);",
          "                                   STATEVECTOR is binary (Y.encodeStateVector) or JSON as sv prints",
          "  convert --to v1|v2 IN OUT        convert an update between formats",
          "  inspect [--summary] FILE         structs per client and the delete set, readable",
          "  json FILE...                     apply updates in order to a new document, print its JSON",
          "                                   (root types inferred: Text, Array, Map or XmlFragment)",
          "  text FILE... --type NAME         apply updates in order, print the Y.Text NAME",
          "  trace TRACE.json.gz              replay an editing trace: final length, hash, time",
          "  help                             this text",
          "",
          "Exit status: 0 success, 1 bad data or other failure, 2 usage error.");

  private final PrintStream out;
  private final PrintStream err;

  public Cli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs one command; returns the exit status. */
  public int run(String[] args) {
    try {
      if (args.length == 0) {
        throw CliException.usage("no command (try 'help')");
      }
      String command = args[0];
      Args a = new Args(command, List.of(args).subList(1, args.length));
      switch (command) {
        case "help", "--help", "-h" -> out.println(USAGE);
        case "sv" -> sv(a);
        case "merge" -> merge(a);
        case "diff" -> diff(a);
        case "convert" -> convert(a);
        case "inspect" -> inspect(a);
        case "json" -> json(a);
        case "text" -> text(a);
        case "trace" -> trace(a);
        default -> throw CliException.usage("unknown command '" + command + "' (try 'help')");
      }
      out.flush();
      return 0;
    } catch (CliException e) {
      out.flush();
      err.println("tandem-crdt: " + e.getMessage());
      return e.status;
    } catch (MalformedDataException e) {
      out.flush();
      err.println("tandem-crdt: invalid data: " + e.getMessage());
      return CliException.DATA;
    } catch (OutOfMemoryError e) {
      err.println("tandem-crdt: out of memory (raise -Xmx)");
      return CliException.DATA;
    } catch (RuntimeException e) {
      out.flush();
      err.println("tandem-crdt: internal error: " + e);
      if ("1".equals(System.getenv("TANDEM_CLI_DEBUG"))) {
        e.printStackTrace(err);
      }
      return CliException.DATA;
    }
  }

  // ------------------------------------------------------------------ commands

  private void sv(Args a) {
    a.allow("--from");
    a.positional(1, 1, "sv FILE");
    String file = a.pos.get(0);
    byte[] bytes = read(file);
    Format.Read r = Format.decode(file, bytes, a.format("--from"));
    byte[] sv =
        r.format() == Format.V1
            ? Updates.encodeStateVectorFromUpdate(bytes)
            : Updates.encodeStateVectorFromUpdateV2(bytes);
    out.println(stateVectorJson(Updates.decodeStateVector(sv)));
  }

  /** {@code {clientId: clock}} with clients in ascending order. */
  static String stateVectorJson(Map<Long, Long> sv) {
    Map<String, Object> json = new LinkedHashMap<>();
    new TreeMap<>(sv).forEach((client, clock) -> json.put(Long.toString(client), clock));
    return Json.stringify(json);
  }

  private void merge(Args a) {
    a.allow("--from", "--to");
    a.positional(2, Integer.MAX_VALUE, "merge OUT FILE...");
    String outFile = a.pos.get(0);
    Format from = a.format("--from");
    Format to = a.format("--to");
    List<byte[]> updates = new ArrayList<>();
    List<Format> formats = new ArrayList<>();
    for (String file : a.pos.subList(1, a.pos.size())) {
      byte[] bytes = read(file);
      formats.add(Format.decode(file, bytes, from).format());
      updates.add(bytes);
    }
    if (to == null) {
      to = formats.get(0);
      for (int i = 1; i < formats.size(); i++) {
        if (formats.get(i) != to) {
          throw CliException.usage(
              "inputs mix v1 and v2 ("
                  + a.pos.get(1)
                  + " is "
                  + to.label()
                  + ", "
                  + a.pos.get(i + 1)
                  + " is "
                  + formats.get(i).label()
                  + "); choose the output format with --to");
        }
      }
    }
    for (int i = 0; i < updates.size(); i++) {
      updates.set(i, to.convertFrom(formats.get(i), updates.get(i)));
    }
    byte[] merged = to == Format.V1 ? Updates.mergeUpdates(updates) : Updates.mergeUpdatesV2(updates);
    write(outFile, merged);
  }

  private void diff(Args a) {
    a.allow("--from", "--to");
    a.positional(3, 3, "diff OUT UPDATE STATEVECTOR");
    String outFile = a.pos.get(0);
    String updateFile = a.pos.get(1);
    String svFile = a.pos.get(2);
    byte[] update = read(updateFile);
    Format format = Format.decode(updateFile, update, a.format("--from")).format();
    byte[] sv = readStateVector(svFile);
    byte[] diff = format == Format.V1 ? Updates.diffUpdate(update, sv) : Updates.diffUpdateV2(update, sv);
    Format to = a.format("--to");
    write(outFile, to == null ? diff : to.convertFrom(format, diff));
  }

  /** A binary state vector, or a JSON object {clientId: clock} as {@code sv} prints it. */
  private byte[] readStateVector(String file) {
    byte[] bytes = read(file);
    String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip();
    if (text.startsWith("{")) {
      Map<Long, Long> sv = null;
      try {
        if (Json.parse(text) instanceof Map<?, ?> m) {
          sv = new LinkedHashMap<>();
          for (Map.Entry<?, ?> e : m.entrySet()) {
            long client = Long.parseLong((String) e.getKey());
            double clock = (Double) e.getValue();
            if (client < 0 || clock < 0 || clock != Math.rint(clock) || clock > 0x1p53 - 1) {
              throw new NumberFormatException();
            }
            sv.put(client, (long) clock);
          }
        }
      } catch (MalformedDataException | NumberFormatException | ClassCastException e) {
        sv = null;
      }
      if (sv != null) {
        return Updates.encodeStateVector(sv);
      }
    }
    try {
      Updates.decodeStateVector(bytes);
    } catch (MalformedDataException e) {
      throw CliException.data(
          file + ": not a state vector (binary, or JSON {clientId: clock}): " + e.getMessage());
    }
    return bytes;
  }

  private void convert(Args a) {
    a.allow("--from", "--to");
    a.positional(2, 2, "convert --to v1|v2 IN OUT");
    Format to = a.format("--to");
    if (to == null) {
      throw CliException.usage("convert needs --to v1|v2");
    }
    String in = a.pos.get(0);
    byte[] bytes = read(in);
    Format from = Format.decode(in, bytes, a.format("--from")).format();
    write(a.pos.get(1), to.convertFrom(from, bytes));
  }

  private void inspect(Args a) {
    a.allow("--from", "--summary");
    a.positional(1, 1, "inspect [--summary] FILE");
    String file = a.pos.get(0);
    byte[] bytes = read(file);
    Format.Read r = Format.decode(file, bytes, a.format("--from"));
    new Inspector(out).print(file, bytes.length, r.format().label(), r.update(), a.flag("--summary"));
  }

  private void json(Args a) {
    a.allow("--from");
    a.positional(1, Integer.MAX_VALUE, "json FILE...");
    DocCommands.json(readAll(a), out);
  }

  private void text(Args a) {
    a.allow("--from", "--type");
    a.positional(1, Integer.MAX_VALUE, "text FILE... --type NAME");
    String type = a.value("--type");
    if (type == null) {
      throw CliException.usage("text needs --type NAME (the name of the root Y.Text)");
    }
    DocCommands.text(readAll(a), type, out);
  }

  private void trace(Args a) {
    a.positional(1, 1, "trace TRACE.json.gz");
    requireFiles(a.pos);
    DocCommands.trace(a.pos.get(0), out);
  }

  /** Reads and checks every update file (so bad input is reported as such, with its name). */
  private static List<DocCommands.Input> readAll(Args a) {
    Format from = a.format("--from");
    List<DocCommands.Input> inputs = new ArrayList<>();
    for (String file : a.pos) {
      byte[] bytes = read(file);
      inputs.add(new DocCommands.Input(file, bytes, Format.decode(file, bytes, from)));
    }
    return inputs;
  }

  private static void requireFiles(List<String> files) {
    for (String f : files) {
      if (!Files.isRegularFile(Path.of(f))) {
        throw CliException.data("cannot read " + f + ": " + (Files.exists(Path.of(f)) ? "not a regular file" : "no such file"));
      }
    }
  }

  // ------------------------------------------------------------------ files

  static byte[] read(String file) {
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw CliException.data("cannot read " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw CliException.data("cannot read " + file + ": permission denied");
    } catch (IOException | RuntimeException e) {
      throw CliException.data(
          "cannot read " + file + ": " + (Files.isDirectory(Path.of(file)) ? "is a directory" : e.getMessage()));
    }
  }

  private void write(String file, byte[] bytes) {
    try {
      Files.write(Path.of(file), bytes);
    } catch (AccessDeniedException e) {
      throw CliException.data("cannot write " + file + ": permission denied");
    } catch (NoSuchFileException e) {
      throw CliException.data("cannot write " + file + ": no such directory");
    } catch (IOException | RuntimeException e) {
      throw CliException.data("cannot write " + file + ": " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------ arguments

  /** Options ({@code --name value}, {@code --name=value}, flags) and positional arguments. */
  private static final class Args {
    private static final List<String> FLAGS = List.of("--summary");
    private final String command;
    final List<String> pos = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    Args(String command, List<String> args) {
      this.command = command;
      boolean onlyPositional = false;
      for (int i = 0; i < args.size(); i++) {
        String s = args.get(i);
        if (onlyPositional || !s.startsWith("--") || s.equals("-")) {
          pos.add(s);
        } else if (s.equals("--")) {
          onlyPositional = true;
        } else {
          int eq = s.indexOf('=');
          String name = eq < 0 ? s : s.substring(0, eq);
          String value;
          if (FLAGS.contains(name)) {
            if (eq >= 0) {
              throw CliException.usage(name + " takes no value");
            }
            value = "";
          } else if (eq >= 0) {
            value = s.substring(eq + 1);
          } else if (i + 1 < args.size()) {
            value = args.get(++i);
          } else {
            throw CliException.usage(name + " needs a value");
          }
          if (options.put(name, value) != null) {
            throw CliException.usage(name + " given twice");
          }
        }
      }
    }

    void allow(String... names) {
      for (String name : options.keySet()) {
        if (!List.of(names).contains(name)) {
          throw CliException.usage(command + ": unknown option " + name);
        }
      }
    }

    void positional(int min, int max, String synopsis) {
      if (pos.size() < min || pos.size() > max) {
        throw CliException.usage(
            (pos.size() < min ? "missing arguments" : "too many arguments") + "; usage: " + synopsis);
      }
    }

    String value(String name) {
      return options.get(name);
    }

    boolean flag(String name) {
      return options.containsKey(name);
    }

    Format format(String name) {
      return options.containsKey(name) ? Format.parse(name, options.get(name)) : null;
    }
  }
}
