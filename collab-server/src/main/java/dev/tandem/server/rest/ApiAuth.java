package dev.tandem.server.rest;

import dev.tandem.server.auth.Access;
import dev.tandem.server.auth.Authenticator;
import dev.tandem.server.auth.Principal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Bearer authentication for {@code /api/*}: {@code Authorization: Bearer <token>} is verified before
 * any REST handler runs (401 {@code missing_token} / {@code invalid_token} / {@code token_expired});
 * the handlers then check what the principal grants (403 {@code forbidden}). With auth.mode=none
 * every request is {@link Principal#ANONYMOUS}. Tokens are not accepted in the query string here:
 * URLs end up in proxy and access logs.
 */
public final class ApiAuth {
  private static final String PRINCIPAL = "tandem.principal";

  private ApiAuth() {}

  public static void mount(Router router, Authenticator authenticator) {
    router.route("/api/*").handler(ctx -> {
      if (!authenticator.required()) {
        ctx.put(PRINCIPAL, Principal.ANONYMOUS);
        ctx.next();
        return;
      }
      authenticator.authenticate(Http.bearerToken(ctx)).onComplete(ar -> {
        if (ar.failed()) {
          Http.unauthenticated(ctx, ar.cause());
        } else {
          ctx.put(PRINCIPAL, ar.result());
          ctx.next();
        }
      });
    });
  }

  /** The request's verified principal (set by {@link #mount}). */
  public static Principal principal(RoutingContext ctx) {
    Principal p = ctx.get(PRINCIPAL);
    return p != null ? p : Principal.ANONYMOUS;
  }

  /**
   * True when the principal may read ({@code write} false) or write the document; otherwise answers
   * 403 and returns false.
   */
  public static boolean allowed(RoutingContext ctx, String document, boolean write) {
    Access a = principal(ctx).access(document);
    if (a == null) {
      Http.error(ctx, 403, "forbidden", "the token does not grant document " + document);
      return false;
    }
    if (write && !a.canWrite()) {
      Http.error(ctx, 403, "forbidden", "the token grants document " + document + " read-only");
      return false;
    }
    return true;
  }
}
