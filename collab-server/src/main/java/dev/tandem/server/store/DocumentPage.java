package dev.tandem.server.store;

import java.util.List;

/** One page of {@link RedisDocumentStore#list}; {@code nextCursor} is null on the last page. */
public record DocumentPage(List<DocumentInfo> documents, String nextCursor) {
  public DocumentPage {
    documents = List.copyOf(documents);
  }
}
