package dev.tandem.server.rest;

import dev.tandem.server.DocumentNames;
import dev.tandem.server.ws.WebsocketEndpoints;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Admin endpoints; every one needs a token with {@code "admin": true} (403 {@code forbidden}
 * otherwise).
 *
 * <ul>
 *   <li>{@code POST /api/admin/disconnect} with {@code {"document": name}} or {@code {"subject": sub}}:
 *       closes (4403) every socket on this node that has the document open / holds a token of the
 *       subject; 200 {@code {"disconnected": n}}.
 * </ul>
 */
public final class AdminApi {
  private final WebsocketEndpoints endpoints;

  public AdminApi(WebsocketEndpoints endpoints) {
    this.endpoints = endpoints;
  }

  public void mount(Router router) {
    router.route("/api/admin/*").handler(ctx -> {
      if (!ApiAuth.principal(ctx).admin()) {
        Http.error(ctx, 403, "forbidden", "this endpoint needs a token with the admin claim");
        return;
      }
      ctx.next();
    });
    router.post("/api/admin/disconnect").handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
    router.post("/api/admin/disconnect").handler(this::disconnect);
  }

  private void disconnect(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    JsonObject req;
    try {
      req = body == null ? null : new JsonObject(body);
    } catch (DecodeException e) {
      req = null;
    }
    Object document = req == null ? null : req.getValue("document");
    Object subject = req == null ? null : req.getValue("subject");
    if (req == null || (document == null) == (subject == null)
        || (document != null && !(document instanceof String)) || (subject != null && !(subject instanceof String))) {
      Http.error(ctx, 400, "invalid_request", "the body must be {\"document\": name} or {\"subject\": sub}");
      return;
    }
    if (document != null) {
      try {
        DocumentNames.validate((String) document);
      } catch (IllegalArgumentException e) {
        Http.error(ctx, 400, "invalid_document_name", "invalid document name: " + e.getMessage());
        return;
      }
    } else if (((String) subject).isEmpty()) {
      Http.error(ctx, 400, "invalid_request", "subject must not be empty");
      return;
    }
    endpoints.disconnect((String) document, (String) subject)
        .onComplete(ar -> Http.json(ctx, 200, new JsonObject().put("disconnected", ar.succeeded() ? ar.result() : 0)));
  }
}
