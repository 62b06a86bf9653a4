package dev.tandem.server.rest;

import dev.tandem.server.DocumentNames;
import dev.tandem.server.auth.AuthenticationException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/** HTTP helpers shared by the REST and websocket endpoints. */
public final class Http {
  private Http() {}

  /** Sends {@code {"error": code, "message": message}} with the status. */
  public static void error(RoutingContext ctx, int status, String code, String message) {
    if (ctx.response().ended()) {
      return;
    }
    json(ctx, status, new JsonObject().put("error", code).put("message", message));
  }

  /**
   * 503 {@code {"error": code, "message": message}} with {@code Retry-After: retryAfterSeconds}: a
   * guard refused the request or upgrade (node or document at capacity, heap pressure, event-loop lag).
   */
  public static void unavailable(RoutingContext ctx, String code, String message, long retryAfterSeconds) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().putHeader("retry-after", Long.toString(Math.max(1, retryAfterSeconds)));
    error(ctx, 503, code, message);
  }

  /**
   * The token of an {@code Authorization: Bearer <token>} header; null when there is no such header,
   * "" when the header is there but not a bearer token.
   */
  public static String bearerToken(RoutingContext ctx) {
    String h = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (h == null) {
      return null;
    }
    h = h.trim();
    if (h.length() > 7 && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return h.substring(7).trim();
    }
    return "";
  }

  /** 401 {@code {"error": missing_token | invalid_token | token_expired, "message"}} with a WWW-Authenticate challenge. */
  public static void unauthenticated(RoutingContext ctx, Throwable cause) {
    if (ctx.response().ended()) {
      return;
    }
    String code = cause instanceof AuthenticationException a ? a.code() : AuthenticationException.INVALID;
    String message = cause instanceof AuthenticationException ? cause.getMessage() : "the token could not be verified";
    ctx.response().putHeader("WWW-Authenticate", code.equals(AuthenticationException.MISSING)
        ? "Bearer realm=\"tandem\"" : "Bearer realm=\"tandem\", error=\"invalid_token\"");
    error(ctx, 401, code, message);
  }

  /**
   * JSON answers for what no handler answered: 404 {@code not_found} (no route), 405
   * {@code method_not_allowed}, 413 {@code payload_too_large}, 400 {@code bad_request} (e.g. a body
   * that could not be read) and 500 {@code internal_error} (a handler failed: logged, never with the
   * request body).
   */
  public static void mountJsonErrors(Router router) {
    router.errorHandler(404, ctx -> error(ctx, 404, "not_found", "no such endpoint"));
    router.errorHandler(405, ctx -> error(ctx, 405, "method_not_allowed", ctx.request().method() + " is not supported here"));
    router.errorHandler(413, ctx -> error(ctx, 413, "payload_too_large", "the request body is too large"));
    router.errorHandler(400, ctx -> error(ctx, 400, "bad_request", "the request could not be read"));
    router.errorHandler(500, ctx -> {
      Logger.getLogger(Http.class.getName()).log(Level.WARNING,
          "request " + ctx.request().method() + " " + ctx.request().path() + " failed", ctx.failure());
      error(ctx, 500, "internal_error", "internal error");
    });
  }

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store").end(body.encode());
  }

  /**
   * The document name in a raw (percent-encoded) path part, validated with {@link DocumentNames};
   * null after answering 400 {@code invalid_document_name}.
   */
  public static String documentName(RoutingContext ctx, String raw) {
    try {
      return DocumentNames.validate(percentDecode(raw));
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "invalid_document_name", "invalid document name: " + e.getMessage());
      return null;
    }
  }

  /**
   * Percent-decodes a URL path segment (not {@code +}: that is a literal plus in a path) as strict
   * UTF-8. Throws {@link IllegalArgumentException} on a bad escape or invalid UTF-8.
   */
  public static String percentDecode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw new IllegalArgumentException("truncated percent escape at index " + i);
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad percent escape at index " + i);
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        int cp = raw.codePointAt(i);
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp) - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("percent escapes are not valid UTF-8");
    }
  }
}
