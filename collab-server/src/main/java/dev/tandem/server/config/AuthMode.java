package dev.tandem.server.config;

/**
 * {@code auth.mode}: {@code NONE} (every client may read and write every document; local development
 * only, warned at start) or {@code JWT} (bearer tokens, see README "Authentication").
 */
public enum AuthMode {
  NONE,
  JWT
}
