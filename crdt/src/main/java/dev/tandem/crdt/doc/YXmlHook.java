package dev.tandem.crdt.doc;

import dev.tandem.crdt.struct.ContentType;

/** Y.XmlHook: a map with a hook name. */
public final class YXmlHook extends YMap {
  private final String hookName;

  public YXmlHook(String hookName) {
    this.hookName = hookName;
  }

  public String hookName() {
    return hookName;
  }

  @Override
  int typeRef() {
    return ContentType.Y_XML_HOOK;
  }

  @Override
  String wireName() {
    return hookName;
  }

  @Override
  AbstractType copyEmpty() {
    return new YXmlHook(hookName);
  }
}
