package dev.tandem.crdt.cli;

import dev.tandem.crdt.json.JsNumber;
import dev.tandem.crdt.json.Json;
import dev.tandem.crdt.lib0.Undefined;
import dev.tandem.crdt.struct.AbstractStruct;
import dev.tandem.crdt.struct.Content;
import dev.tandem.crdt.struct.ContentAny;
import dev.tandem.crdt.struct.ContentBinary;
import dev.tandem.crdt.struct.ContentDeleted;
import dev.tandem.crdt.struct.ContentDoc;
import dev.tandem.crdt.struct.ContentEmbed;
import dev.tandem.crdt.struct.ContentFormat;
import dev.tandem.crdt.struct.ContentJson;
import dev.tandem.crdt.struct.ContentString;
import dev.tandem.crdt.struct.ContentType;
import dev.tandem.crdt.struct.GC;
import dev.tandem.crdt.struct.ID;
import dev.tandem.crdt.struct.Item;
import dev.tandem.crdt.struct.Skip;
import dev.tandem.crdt.update.ClientStructs;
import dev.tandem.crdt.update.DecodedUpdate;
import dev.tandem.crdt.update.DeleteSet;
import java.io.PrintStream;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * {@code inspect}: an update in readable form. One line per struct ({@code client:clock kind
 * length origin/rightOrigin parent content}), then the delete set as half-open clock ranges per
 * client. Strings are shown JSON-quoted (so control characters and lone surrogates are visible)
 * and cut after {@value #MAX_TEXT} characters.
 */
final class Inspector {
  static final int MAX_TEXT = 80;
  private static final String[] TYPE_NAMES = {
    "YArray", "YMap", "YText", "YXmlElement", "YXmlFragment", "YXmlHook", "YXmlText"
  };

  private final PrintStream out;

  Inspector(PrintStream out) {
    this.out = out;
  }

  void print(String file, int bytes, String format, DecodedUpdate u, boolean summary) {
    long structs = 0;
    long items = 0;
    long gcs = 0;
    long skips = 0;
    for (ClientStructs cs : u.clients()) {
      for (AbstractStruct s : cs.structs()) {
        structs++;
        if (s instanceof Item) {
          items++;
        } else if (s instanceof GC) {
          gcs++;
        } else {
          skips++;
        }
      }
    }
    DeleteSet ds = u.deleteSet();
    long ranges = 0;
    long deleted = 0;
    for (long client : ds.clients()) {
      DeleteSet.Ranges r = ds.ranges(client);
      ranges += r.size();
      for (int i = 0; i < r.size(); i++) {
        deleted += r.len(i);
      }
    }
    out.println(file + ": update " + format + ", " + bytes + " bytes");
    out.println(
        "structs: "
            + structs
            + " ("
            + items
            + " items, "
            + gcs
            + " gc, "
            + skips
            + " skip) from "
            + u.clients().size()
            + " client(s)");
    out.println(
        "delete set: " + ranges + " range(s), " + deleted + " clock(s) from " + ds.clients().size() + " client(s)");
    for (ClientStructs cs : u.clients()) {
      List<AbstractStruct> list = cs.structs();
      long end = list.isEmpty() ? cs.startClock() : list.get(list.size() - 1).endClock();
      out.println();
      out.println(
          "client " + cs.client() + ": " + list.size() + " struct(s), clocks [" + cs.startClock() + ", " + end + ")");
      if (!summary) {
        for (AbstractStruct s : list) {
          out.println("  " + struct(s));
        }
      }
    }
    if (!ds.clients().isEmpty()) {
      out.println();
      out.println("delete set");
      for (long client : ds.clients()) {
        DeleteSet.Ranges r = ds.ranges(client);
        StringBuilder sb = new StringBuilder("  client " + client + ": " + r.size() + " range(s)");
        if (!summary) {
          sb.append(':');
          for (int i = 0; i < r.size(); i++) {
            sb.append(" [").append(r.clock(i)).append(", ").append(r.clock(i) + r.len(i)).append(')');
          }
        }
        out.println(sb);
      }
    }
  }

  static String struct(AbstractStruct s) {
    String head = id(s.id()) + " ";
    if (s instanceof GC) {
      return head + "GC len " + s.length();
    }
    if (s instanceof Skip) {
      return head + "Skip len " + s.length();
    }
    Item it = (Item) s;
    StringBuilder sb = new StringBuilder(head).append("Item len ").append(s.length());
    if (it.origin() != null) {
      sb.append(" origin ").append(id(it.origin()));
    }
    if (it.rightOrigin() != null) {
      sb.append(" rightOrigin ").append(id(it.rightOrigin()));
    }
    if (it.parentKey() != null) {
      sb.append(" parent ").append(quote(it.parentKey()));
    } else if (it.parentId() != null) {
      sb.append(" parent ").append(id(it.parentId()));
    }
    if (it.parentSub() != null) {
      sb.append(" key ").append(quote(it.parentSub()));
    }
    return sb.append(" ").append(content(it.content())).toString();
  }

  static String content(Content c) {
    if (c instanceof ContentString s) {
      return "String " + quote(s.string());
    } else if (c instanceof ContentDeleted d) {
      return "Deleted " + d.getLength();
    } else if (c instanceof ContentAny a) {
      return "Any " + value(a.values());
    } else if (c instanceof ContentJson j) {
      return "JSON " + cut(String.join(", ", j.texts()));
    } else if (c instanceof ContentBinary b) {
      return "Binary " + value(b.bytes());
    } else if (c instanceof ContentEmbed e) {
      return "Embed " + value(e.embed());
    } else if (c instanceof ContentFormat f) {
      return "Format " + quote(f.key()) + "=" + value(f.value());
    } else if (c instanceof ContentType t) {
      return "Type " + TYPE_NAMES[t.typeRef()] + (t.name() != null ? " " + quote(t.name()) : "");
    } else if (c instanceof ContentDoc d) {
      return "Doc guid " + quote(d.guid()) + " opts " + value(d.opts());
    }
    return c.toString();
  }

  static String id(ID id) {
    return id.client() + ":" + id.clock();
  }

  /** A lib0 {@code any} value, JavaScript-like, cut to a readable length. */
  static String value(Object v) {
    StringBuilder sb = new StringBuilder();
    appendValue(sb, v);
    return cut(sb.toString());
  }

  private static void appendValue(StringBuilder sb, Object v) {
    if (sb.length() > 4 * MAX_TEXT) {
      return; // cut later anyway
    }
    if (v == null) {
      sb.append("null");
    } else if (v == Undefined.INSTANCE) {
      sb.append("undefined");
    } else if (v instanceof String s) {
      sb.append(Json.stringify(s));
    } else if (v instanceof BigInteger b) {
      sb.append(b).append('n');
    } else if (v instanceof Number n) {
      sb.append(JsNumber.toString(n.doubleValue()));
    } else if (v instanceof byte[] b) {
      sb.append("Uint8Array(").append(b.length).append(")[");
      for (int i = 0; i < b.length && i < 32; i++) {
        sb.append(i > 0 ? "," : "").append(b[i] & 0xFF);
      }
      sb.append(b.length > 32 ? ",...]" : "]");
    } else if (v instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        sb.append(i > 0 ? "," : "");
        appendValue(sb, list.get(i));
      }
      sb.append(']');
    } else if (v instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sb.append(first ? "" : ",").append(Json.stringify(String.valueOf(e.getKey()))).append(':');
        appendValue(sb, e.getValue());
        first = false;
      }
      sb.append('}');
    } else {
      sb.append(v);
    }
  }

  static String quote(String s) {
    if (s.length() > MAX_TEXT) {
      return Json.stringify(s.substring(0, MAX_TEXT)) + "... (" + s.length() + " chars)";
    }
    return Json.stringify(s);
  }

  private static String cut(String s) {
    return s.length() > MAX_TEXT * 2 ? s.substring(0, MAX_TEXT * 2) + "..." : s;
  }
}
