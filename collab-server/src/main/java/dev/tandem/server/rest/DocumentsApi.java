package dev.tandem.server.rest;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.doc.DocumentJson;
import dev.tandem.crdt.update.Updates;
import dev.tandem.server.DocumentNames;
import dev.tandem.server.InvalidDocumentNameException;
import dev.tandem.server.auth.Principal;
import dev.tandem.server.guard.CapacityException;
import dev.tandem.server.guard.DocumentTooLargeException;
import dev.tandem.server.session.BadUpdateException;
import dev.tandem.server.session.SessionManager;
import dev.tandem.server.session.StorageUnavailableException;
import dev.tandem.server.session.WriteBufferFullException;
import dev.tandem.server.store.DocumentInfo;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * REST on documents. Errors are {@code {"error": code, "message": text}}.
 *
 * <ul>
 *   <li>{@code GET /api/documents/{name}[?format=json|delta|prosemirror]}: the shared types as JSON
 *       ({@link DocumentJson}); 404 when the document is unknown. Never creates a document.
 *   <li>{@code GET /api/documents/{name}/update[?sv=<base64 state vector>][&v=2]}: the document (or
 *       what the state vector misses) as one binary Yjs update, v1 unless {@code v=2}; 404 when the
 *       document is unknown (nothing stored and nothing in memory).
 *   <li>{@code POST /api/documents/{name}/update}: body = one binary v1 update; 400 when it does not
 *       decode (nothing changed); 204 once Redis accepted it; connected clients receive it live.
 *   <li>{@code DELETE /api/documents/{name}}: connected sockets are closed (4410, Hocuspocus: CLOSE
 *       for that document), the Redis keys deleted; 204, or 404 when nothing existed.
 *   <li>{@code GET /api/documents?prefix=&cursor=&limit=}: names in UTF-8 byte order, with size and
 *       last change; {@code nextCursor} is null on the last page. Only documents the token may read
 *       are listed (a page may hold fewer than {@code limit}).
 * </ul>
 *
 * Every request carries a bearer token ({@link ApiAuth}); reading needs read-only or read-write
 * access to the document, POST and DELETE read-write (403 {@code forbidden} otherwise).
 *
 * Names are percent-decoded from the raw path (so {@code %2F} is a slash inside the name) and
 * validated with {@link DocumentNames}. A name ending in {@code /update} cannot be addressed by the
 * JSON route {@code GET /api/documents/{name}}.
 */
public final class DocumentsApi {
  private static final Logger LOG = Logger.getLogger(DocumentsApi.class.getName());
  private static final String PREFIX = "/api/documents";

  private final SessionManager sessions;
  private final long maxBody;
  private final long retryAfterSeconds;

  /** {@code retryAfterSeconds}: the {@code Retry-After} of 503 answers (Redis unavailable, write buffer full). */
  public DocumentsApi(SessionManager sessions, long maxBody, long retryAfterSeconds) {
    this.sessions = sessions;
    this.maxBody = maxBody;
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  public void mount(Router router) {
    router.get(PREFIX).handler(this::list);
    router.post(PREFIX + "/*").handler(BodyHandler.create(false).setBodyLimit(maxBody));
    router.route(PREFIX + "/*").handler(this::document);
  }

  private void document(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path.length() <= PREFIX.length() + 1) {
      // "/api/documents" itself (the route's wildcard matches it) with another method than GET
      Http.error(ctx, 405, "method_not_allowed", ctx.request().method() + " is not supported here");
      return;
    }
    String rest = path.substring(PREFIX.length() + 1);
    boolean update = rest.endsWith("/update");
    String rawName = update ? rest.substring(0, rest.length() - "/update".length()) : rest;
    String name = Http.documentName(ctx, rawName);
    if (name == null) {
      return;
    }
    HttpMethod m = ctx.request().method();
    if (update && m == HttpMethod.GET) {
      if (ApiAuth.allowed(ctx, name, false)) {
        getUpdate(ctx, name);
      }
    } else if (update && m == HttpMethod.POST) {
      if (ApiAuth.allowed(ctx, name, true)) {
        postUpdate(ctx, name);
      }
    } else if (!update && m == HttpMethod.DELETE) {
      if (ApiAuth.allowed(ctx, name, true)) {
        delete(ctx, name);
      }
    } else if (!update && m == HttpMethod.GET) {
      if (ApiAuth.allowed(ctx, name, false)) {
        getJson(ctx, name);
      }
    } else {
      Http.error(ctx, 405, "method_not_allowed", m + " is not supported here");
    }
  }

  private void getJson(RoutingContext ctx, String name) {
    DocumentJson.Format format;
    switch (ctx.request().getParam("format", "json")) {
      case "json":
        format = DocumentJson.Format.JSON;
        break;
      case "delta":
        format = DocumentJson.Format.DELTA;
        break;
      case "prosemirror":
        format = DocumentJson.Format.PROSEMIRROR;
        break;
      default:
        Http.error(ctx, 400, "invalid_format", "format must be json, delta or prosemirror");
        return;
    }
    readExisting(ctx, name, null, u -> {
      // rendering copies the whole document: never on an event loop
      ctx.vertx().executeBlocking(() -> DocumentJson.render(u, format), false).onComplete(r -> {
        if (r.succeeded()) {
          ctx.response().putHeader("content-type", "application/json; charset=utf-8")
              .putHeader("cache-control", "no-store").end(r.result());
        } else if (r.cause() instanceof DocumentJson.UnrenderableException e) {
          Http.error(ctx, 422, "unrenderable", e.getMessage());
        } else {
          LOG.log(Level.WARNING, "rendering " + name + " failed", r.cause());
          Http.error(ctx, 500, "internal_error", "rendering failed: " + r.cause().getMessage());
        }
      });
    });
  }

  private void getUpdate(RoutingContext ctx, String name) {
    byte[] sv = null;
    String svParam = ctx.request().getParam("sv");
    if (svParam != null) {
      try {
        sv = decodeBase64(svParam);
        Updates.decodeStateVector(sv);
      } catch (IllegalArgumentException | MalformedDataException e) {
        Http.error(ctx, 400, "invalid_state_vector", "sv is not a base64 Yjs state vector: " + e.getMessage());
        return;
      }
    }
    String v = ctx.request().getParam("v", "1");
    if (!v.equals("1") && !v.equals("2")) {
      Http.error(ctx, 400, "invalid_version", "v must be 1 or 2");
      return;
    }
    readExisting(ctx, name, sv, u -> {
      byte[] out = v.equals("2") ? Updates.convertUpdateFormatV1ToV2(u) : u;
      ctx.response().putHeader("content-type", "application/octet-stream").putHeader("cache-control", "no-store")
          .end(Buffer.buffer(out));
    });
  }

  /** Reads the document (or what {@code sv} misses) and hands it on; answers 404 when it is unknown. */
  private void readExisting(RoutingContext ctx, String name, byte[] sv, Consumer<byte[]> found) {
    sessions.readUpdate(name, sv).onComplete(ar -> {
      if (ar.failed()) {
        failed(ctx, ar.cause());
      } else if (ar.result() == null) {
        Http.error(ctx, 404, "not_found", "no document named " + name);
      } else {
        found.accept(ar.result());
      }
    });
  }

  private void postUpdate(RoutingContext ctx, String name) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      Http.error(ctx, 400, "invalid_update", "the body must be a binary Yjs v1 update");
      return;
    }
    byte[] update = body.getBytes();
    try {
      Updates.decodeUpdate(update);
    } catch (MalformedDataException e) {
      Http.error(ctx, 400, "invalid_update", "the body is not a Yjs v1 update: " + e.getMessage());
      return;
    }
    sessions.applyUpdate(name, update).onComplete(ar -> {
      if (ar.failed()) {
        failed(ctx, ar.cause());
      } else {
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  private void delete(RoutingContext ctx, String name) {
    sessions.delete(name).onComplete(ar -> {
      if (ar.failed()) {
        failed(ctx, ar.cause());
      } else if (ar.result()) {
        ctx.response().setStatusCode(204).end();
      } else {
        Http.error(ctx, 404, "not_found", "no document named " + name);
      }
    });
  }

  private void list(RoutingContext ctx) {
    String prefix = ctx.request().getParam("prefix", "");
    String cursor = ctx.request().getParam("cursor");
    int limit;
    try {
      limit = Integer.parseInt(ctx.request().getParam("limit", "100"));
      if (limit < 1 || limit > 1000) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      Http.error(ctx, 400, "invalid_limit", "limit must be an integer 1..1000");
      return;
    }
    sessions.store().list(prefix, cursor == null || cursor.isEmpty() ? null : cursor, limit).onComplete(ar -> {
      if (ar.failed()) {
        failed(ctx, ar.cause());
        return;
      }
      JsonArray docs = new JsonArray();
      Principal principal = ApiAuth.principal(ctx);
      for (DocumentInfo d : ar.result().documents()) {
        if (principal.access(d.name()) == null) {
          continue; // only what the token may read; a page may come out short, nextCursor still goes on
        }
        docs.add(new JsonObject().put("name", d.name()).put("sizeBytes", d.sizeBytes())
            .put("logEntries", d.logEntries()).put("lastChange", d.lastChange().toString()));
      }
      Http.json(ctx, 200, new JsonObject().put("documents", docs).put("nextCursor", ar.result().nextCursor()));
    });
  }

  private static byte[] decodeBase64(String s) {
    String t = s.trim();
    if (t.indexOf('-') >= 0 || t.indexOf('_') >= 0) {
      return Base64.getUrlDecoder().decode(t);
    }
    return Base64.getDecoder().decode(t.replace(' ', '+')); // a '+' left unescaped in a query arrives as ' '
  }

  private void failed(RoutingContext ctx, Throwable e) {
    if (e instanceof BadUpdateException) {
      Http.error(ctx, 400, "invalid_update", e.getMessage());
    } else if (e instanceof InvalidDocumentNameException) {
      Http.error(ctx, 400, "invalid_document_name", e.getMessage());
    } else if (e instanceof CapacityException c) {
      Http.unavailable(ctx, c.code(), c.getMessage(), sessions.guards().retryAfterSeconds());
    } else if (e instanceof DocumentTooLargeException) {
      Http.error(ctx, 413, "document_too_large", "update refused (nothing was applied): " + e.getMessage());
    } else if (e instanceof WriteBufferFullException) {
      unavailable(ctx, "write_buffer_full", "update refused (nothing was applied): " + e.getMessage());
    } else if (e instanceof StorageUnavailableException) {
      unavailable(ctx, "storage_unavailable", "document could not be loaded: " + e.getMessage());
    } else {
      LOG.log(Level.WARNING, "REST request failed", e);
      unavailable(ctx, "unavailable", "storage unavailable: " + e.getMessage());
    }
  }

  private void unavailable(RoutingContext ctx, String code, String message) {
    Http.unavailable(ctx, code, message, retryAfterSeconds);
  }
}
