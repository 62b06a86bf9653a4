package dev.tandem.crdt.doc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.crdt.lib0.Undefined;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentJsonTest {
  @Test
  void rendersEachRootByItsInferredType() {
    Doc d = new Doc(1, true);
    d.getText("text").insert(0, "hi ");
    d.getText("text").insert(3, "there", Map.of("bold", true));
    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("bin", new byte[] {1, 2, (byte) 255});
    obj.put("big", BigInteger.valueOf(Long.MAX_VALUE));
    obj.put("gone", Undefined.INSTANCE);
    obj.put("n", 1.5);
    obj.put("list", Arrays.asList(1.0, Undefined.INSTANCE));
    d.getMap("map").set("o", obj);
    d.getMap("map").set("int", 3.0);
    YMap nested = new YMap();
    d.getArray("array").push(Arrays.asList("a", null, nested));
    nested.set("k", "v");
    YXmlElement p = new YXmlElement("paragraph");
    d.getXmlFragment("xml").push(List.of(p));
    p.setAttribute("align", "left");
    YXmlText t = new YXmlText();
    p.push(List.of(t));
    t.insert(0, "x", Map.of("bold", true));
    d.getText("emptied").insert(0, "x");
    d.getText("emptied").delete(0, 1);
    byte[] u = d.encodeStateAsUpdate();

    assertThat(DocumentJson.render(u, DocumentJson.Format.JSON)).isEqualTo("{\"text\":\"hi there\","
        + "\"map\":{\"o\":{\"bin\":\"AQL/\",\"big\":\"9223372036854775807\",\"n\":1.5,\"list\":[1,null]},\"int\":3},"
        + "\"array\":[\"a\",null,{\"k\":\"v\"}],"
        + "\"xml\":\"<paragraph align=\\\"left\\\"><bold>x</bold></paragraph>\"}");
    assertThat(DocumentJson.render(u, DocumentJson.Format.DELTA)).startsWith("{\"text\":[{\"insert\":\"hi \"},"
        + "{\"insert\":\"there\",\"attributes\":{\"bold\":true}}],");
    assertThat(DocumentJson.render(u, DocumentJson.Format.PROSEMIRROR)).endsWith("\"xml\":{\"type\":\"doc\",\"content\":"
        + "[{\"type\":\"paragraph\",\"attrs\":{\"align\":\"left\"},\"content\":[{\"type\":\"text\",\"text\":\"x\","
        + "\"marks\":[{\"type\":\"bold\",\"attrs\":true}]}]}]}}");
  }

  @Test
  void contentWithoutAProsemirrorFormIsUnrenderable() {
    Doc d = new Doc(1, true);
    d.getXmlFragment("xml").push(List.of(new YXmlHook("hook")));
    byte[] u = d.encodeStateAsUpdate();
    assertThat(DocumentJson.render(u, DocumentJson.Format.JSON)).contains("\"xml\"");
    assertThatThrownBy(() -> DocumentJson.render(u, DocumentJson.Format.PROSEMIRROR))
        .isInstanceOf(DocumentJson.UnrenderableException.class);
  }
}
