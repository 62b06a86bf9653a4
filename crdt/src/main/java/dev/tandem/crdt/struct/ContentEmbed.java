package dev.tandem.crdt.struct;

/** An embed in rich text (one unit); the value is a lib0 {@code any}. */
public final class ContentEmbed implements Content {
  public static final int REF = 5;
  private final Object embed;

  public ContentEmbed(Object embed) {
    this.embed = embed;
  }

  public Object embed() {
    return embed;
  }

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public int getLength() {
    return 1;
  }

  @Override
  public boolean isCountable() {
    return true;
  }

  @Override
  public ContentEmbed copy() {
    return new ContentEmbed(embed);
  }

  @Override
  public Content splice(int offset) {
    throw new UnsupportedOperationException("embed content has length 1");
  }

  @Override
  public boolean mergeWith(Content right) {
    return false;
  }

  @Override
  public void write(StructEncoder encoder, int offset) {
    encoder.writeJSON(embed);
  }

  @Override
  public String toString() {
    return "Embed(" + embed + ")";
  }
}
