package dev.tandem.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The effective authentication configuration. {@code mode} is resolved: when {@code auth.mode} is
 * not set it is {@code NONE} with the embedded Redis and {@code JWT} with {@code redis.url}. Key
 * material is validated (and files read) when the server builds its authenticator.
 *
 * @param secret HS256 shared secret (empty = none); never logged
 * @param publicKeysFile PEM file with public keys / certificates (empty = none)
 * @param jwksFile JWKS JSON file (empty = none)
 * @param issuer required {@code iss} (empty = not checked)
 * @param audience required {@code aud} (empty = not checked)
 * @param leeway clock skew tolerated on {@code exp}, {@code nbf}, {@code iat}
 * @param modeExplicit whether {@code auth.mode} was configured (false = derived from {@code redis.url})
 */
public record AuthSettings(AuthMode mode, String secret, String publicKeysFile, String jwksFile, String issuer,
    String audience, Duration leeway, boolean modeExplicit) {

  public AuthSettings {
    Objects.requireNonNull(mode);
    Objects.requireNonNull(secret);
    Objects.requireNonNull(publicKeysFile);
    Objects.requireNonNull(jwksFile);
    Objects.requireNonNull(issuer);
    Objects.requireNonNull(audience);
    Objects.requireNonNull(leeway);
  }

  public boolean hasKeys() {
    return !secret.isEmpty() || !publicKeysFile.isEmpty() || !jwksFile.isEmpty();
  }

  @Override
  public String toString() {
    // the secret never reaches a log line through this record
    return "AuthSettings[mode=" + mode + ", secret=" + (secret.isEmpty() ? "(none)" : "***") + ", publicKeysFile="
        + publicKeysFile + ", jwksFile=" + jwksFile + ", issuer=" + issuer + ", audience=" + audience + ", leeway="
        + leeway + "]";
  }
}
