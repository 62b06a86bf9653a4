package dev.tandem.server.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.doc.Doc;
import dev.tandem.server.TandemServer;
import dev.tandem.server.redis.EmbeddedRedis;
import dev.tandem.server.testing.RedisServerExtension;
import dev.tandem.server.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /api/documents/{name}} over HTTP on a real server and Redis. */
@ExtendWith(RedisServerExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DocumentsJsonRouteTest {
  private static TandemServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start(EmbeddedRedis redis) throws Exception {
    server = TestServers.start(redis, TestServers.freshPrefix(), 0);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.httpPort() + path);
  }

  @Test
  void rendersAStoredDocumentAndNeverCreatesOne() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/documents/json-unknown")));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("\"not_found\"");
    String list = send(HttpRequest.newBuilder(uri("/api/documents?prefix=json-"))).body();
    assertThat(list).doesNotContain("json-unknown");

    Doc d = new Doc(5, true);
    d.getText("text").insert(0, "hello");
    d.getMap("map").set("k", "v");
    r = send(HttpRequest.newBuilder(uri("/api/documents/json%2F1/update"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(d.encodeStateAsUpdate())));
    assertThat(r.statusCode()).isEqualTo(204);
    r = send(HttpRequest.newBuilder(uri("/api/documents/json%2F1")));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(r.body()).isEqualTo("{\"text\":\"hello\",\"map\":{\"k\":\"v\"}}");
    r = send(HttpRequest.newBuilder(uri("/api/documents/json%2F1?format=delta")));
    assertThat(r.body()).isEqualTo("{\"text\":[{\"insert\":\"hello\"}],\"map\":{\"k\":\"v\"}}");
    r = send(HttpRequest.newBuilder(uri("/api/documents/json%2F1?format=yaml")));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"invalid_format\"");
  }
}
