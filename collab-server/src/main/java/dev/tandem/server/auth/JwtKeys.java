package dev.tandem.server.auth;

import dev.tandem.server.config.AuthSettings;
import dev.tandem.server.config.ConfigException;
import dev.tandem.server.config.Settings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@code auth.jwt.*} settings into verification keys for {@code vertx-auth-jwt}. Every
 * problem is a {@link ConfigException} naming the setting (and never quoting the secret).
 *
 * <ul>
 *   <li>{@code auth.jwt.secret}: HS256 (the UTF-8 bytes of the value).
 *   <li>{@code auth.jwt.public-keys}: a PEM file with one or more {@code PUBLIC KEY} or
 *       {@code CERTIFICATE} blocks. RSA keys verify RS256, RS384 and RS512; EC keys the ES algorithm
 *       of their curve (P-256 ES256, P-384 ES384, P-521 ES512). Private keys are refused.
 *   <li>{@code auth.jwt.jwks}: a JWKS file ({@code {"keys": [...]}}) of RSA or EC public keys; a key
 *       without {@code alg} gets RS256 (RSA) or the ES algorithm of its {@code crv}; a {@code kid} is
 *       matched against the token header's {@code kid}. Keys with {@code "use": "enc"} are skipped.
 * </ul>
 */
final class JwtKeys {
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

  private JwtKeys() {}

  /** Options with every configured key; at least one key, else a ConfigException. */
  static JWTAuthOptions options(AuthSettings s) {
    JWTAuthOptions o = new JWTAuthOptions();
    int keys = 0;
    if (!s.secret().isEmpty()) {
      o.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(Buffer.buffer(s.secret().getBytes(StandardCharsets.UTF_8))));
      keys++;
    }
    if (!s.publicKeysFile().isEmpty()) {
      for (PubSecKeyOptions k : pem(s.publicKeysFile())) {
        o.addPubSecKey(k);
        keys++;
      }
    }
    if (!s.jwksFile().isEmpty()) {
      for (JsonObject k : jwks(s.jwksFile())) {
        o.addJwk(k);
        keys++;
      }
    }
    if (keys == 0) {
      throw new ConfigException(Settings.AUTH_MODE.key(), "configuration", "auth.mode is jwt but no key is configured");
    }
    return o;
  }

  static List<PubSecKeyOptions> pem(String file) {
    String key = Settings.AUTH_JWT_PUBLIC_KEYS.key();
    String text = read(key, file);
    List<PubSecKeyOptions> out = new ArrayList<>();
    Matcher m = PEM.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
      String kind = m.group(1);
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw fail(key, file, "PEM block " + n + " is not valid base64");
      }
      PublicKey pk;
      try {
        pk = switch (kind) {
          case "PUBLIC KEY" -> publicKey(der);
          case "CERTIFICATE" -> CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
          default -> {
            if (kind.contains("PRIVATE")) {
              throw fail(key, file, "PEM block " + n + " is a private key; configure the public key only");
            }
            throw fail(key, file, "PEM block " + n + " is '" + kind + "', expected PUBLIC KEY or CERTIFICATE");
          }
        };
      } catch (IllegalArgumentException e) {
        throw fail(key, file, "PEM block " + n + " is not an RSA or EC public key");
      } catch (CertificateException e) {
        throw fail(key, file, "PEM block " + n + " is not a valid X.509 certificate: " + e.getMessage());
      }
      String normalized = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pk.getEncoded())
          + "\n-----END PUBLIC KEY-----\n";
      for (String alg : algorithms(pk, key, file, n)) {
        out.add(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(Buffer.buffer(normalized)));
      }
    }
    if (n == 0) {
      throw fail(key, file, "no PEM block (-----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE-----) found");
    }
    return out;
  }

  private static PublicKey publicKey(byte[] der) {
    for (String type : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
      } catch (Exception ignored) {
        // try the next type
      }
    }
    throw new IllegalArgumentException("not an RSA or EC public key");
  }

  private static List<String> algorithms(PublicKey pk, String key, String file, int n) {
    if (pk instanceof RSAPublicKey rsa) {
      if (rsa.getModulus().bitLength() < 2048) {
        throw fail(key, file, "PEM block " + n + ": RSA keys must have at least 2048 bits");
      }
      return List.of("RS256", "RS384", "RS512");
    }
    if (pk instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      return switch (bits) {
        case 256 -> List.of("ES256");
        case 384 -> List.of("ES384");
        case 521 -> List.of("ES512");
        default -> throw fail(key, file, "PEM block " + n + ": unsupported EC curve (" + bits + " bits)");
      };
    }
    throw fail(key, file, "PEM block " + n + ": unsupported key type " + pk.getAlgorithm());
  }

  static List<JsonObject> jwks(String file) {
    String key = Settings.AUTH_JWT_JWKS.key();
    String text = read(key, file);
    JsonArray keys;
    try {
      JsonObject root = new JsonObject(text);
      keys = root.getJsonArray("keys");
    } catch (DecodeException | ClassCastException e) {
      throw fail(key, file, "not a JWKS JSON object with a \"keys\" array");
    }
    if (keys == null) {
      throw fail(key, file, "not a JWKS JSON object with a \"keys\" array");
    }
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      Object o = keys.getValue(i);
      if (!(o instanceof JsonObject jwk)) {
        throw fail(key, file, "keys[" + i + "] is not an object");
      }
      jwk = jwk.copy();
      if ("enc".equals(jwk.getString("use"))) {
        continue;
      }
      String kty = jwk.getString("kty");
      if (!"RSA".equals(kty) && !"EC".equals(kty)) {
        throw fail(key, file, "keys[" + i + "]: kty must be RSA or EC, got " + kty);
      }
      if (jwk.containsKey("d")) {
        throw fail(key, file, "keys[" + i + "] holds a private key; configure public keys only");
      }
      if (!jwk.containsKey("alg") && "EC".equals(kty)) {
        String crv = jwk.getString("crv");
        jwk.put("alg", switch (crv == null ? "" : crv) {
          case "P-256" -> "ES256";
          case "P-384" -> "ES384";
          case "P-521" -> "ES512";
          default -> throw fail(key, file, "keys[" + i + "]: unsupported crv " + crv);
        });
      }
      try {
        new JWK(jwk); // validates (the provider itself would only log and skip a bad key)
      } catch (RuntimeException e) {
        throw fail(key, file, "keys[" + i + "] is not a usable key: " + e.getMessage());
      }
      out.add(jwk);
    }
    if (out.isEmpty()) {
      throw fail(key, file, "no signature key in \"keys\"");
    }
    return out;
  }

  private static String read(String key, String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw fail(key, file, "cannot read " + file + ": " + e);
    }
  }

  private static ConfigException fail(String key, String file, String message) {
    return new ConfigException(key, "file " + file, message);
  }
}
