package dev.tandem.server.auth;

import java.util.Objects;

/**
 * Who a verified token speaks for and what it grants.
 *
 * @param subject the {@code sub} claim (admin disconnect by subject matches it)
 * @param expiresAtMillis when the token stops being valid (its {@code exp} plus the configured
 *     leeway), epoch milliseconds; {@link Long#MAX_VALUE} when it never expires (auth.mode=none)
 * @param admin the {@code admin} claim: read-write on every document and the admin endpoints
 * @param grants the {@code docs} claim
 */
public record Principal(String subject, long expiresAtMillis, boolean admin, DocumentGrants grants) {
  /** auth.mode=none: anyone may do anything. */
  public static final Principal ANONYMOUS = new Principal("anonymous", Long.MAX_VALUE, true, DocumentGrants.all(Access.READ_WRITE));

  public Principal {
    Objects.requireNonNull(subject);
    Objects.requireNonNull(grants);
  }

  /** The access this token grants to {@code document}, or null when it does not open it. */
  public Access access(String document) {
    return admin ? Access.READ_WRITE : grants.access(document);
  }

  public boolean expires() {
    return expiresAtMillis != Long.MAX_VALUE;
  }
}
