package dev.tandem.crdt.struct;

/** An embed in rich text (one unit); the value is a lib0 {@code any}. */
public final class ContentEmbed extends UnitContent {
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
  public ContentEmbed copy() {
    return new ContentEmbed(embed);
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
