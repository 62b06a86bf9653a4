package dev.tandem.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.server.config.AuthMode;
import dev.tandem.server.config.AuthSettings;
import dev.tandem.server.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files and the docs claim: every problem is a ConfigException naming the setting. */
class JwtKeysTest {
  @TempDir Path dir;

  static String pem(String kind, byte[] der) {
    return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + kind + "-----\n";
  }

  static AuthSettings settings(String pemFile, String jwksFile) {
    return new AuthSettings(AuthMode.JWT, "", pemFile, jwksFile, "", "", Duration.ZERO, true);
  }

  Path write(String name, String text) {
    Path p = dir.resolve(name);
    try {
      Files.writeString(p, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return p;
  }

  static void assertConfigError(Runnable r, String key, String text) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(ConfigException.class, e -> {
      assertThat(e.key()).isEqualTo(key);
      assertThat(e.getMessage()).contains(text);
    });
  }

  @Test
  void pemFiles() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    var kp = rsa.generateKeyPair();
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp384r1"));
    var ecKp = ec.generateKeyPair();
    // RSA: three algorithms; P-384: ES384
    Path ok = write("ok.pem", "comment lines are fine\n" + pem("PUBLIC KEY", kp.getPublic().getEncoded())
        + pem("PUBLIC KEY", ecKp.getPublic().getEncoded()));
    assertThat(JwtKeys.pem(ok.toString())).extracting(o -> o.getAlgorithm()).containsExactly("RS256", "RS384", "RS512", "ES384");

    String key = "auth.jwt.public-keys";
    assertConfigError(() -> JwtKeys.pem(dir.resolve("missing.pem").toString()), key, "cannot read");
    Path priv = write("priv.pem", pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
    assertConfigError(() -> JwtKeys.pem(priv.toString()), key, "private key");
    Path empty = write("empty.pem", "nothing here");
    assertConfigError(() -> JwtKeys.pem(empty.toString()), key, "no PEM block");
    Path junk = write("junk.pem", pem("PUBLIC KEY", new byte[] {1, 2, 3}));
    assertConfigError(() -> JwtKeys.pem(junk.toString()), key, "not an RSA or EC public key");
    rsa.initialize(1024);
    Path weak = write("weak.pem", pem("PUBLIC KEY", rsa.generateKeyPair().getPublic().getEncoded()));
    assertConfigError(() -> JwtKeys.pem(weak.toString()), key, "2048");
    // no key at all
    assertConfigError(() -> JwtKeys.options(new AuthSettings(AuthMode.JWT, "", "", "", "", "", Duration.ZERO, true)),
        "auth.mode", "no key");
    assertThat(JwtKeys.options(settings(ok.toString(), "")).getPubSecKeys()).hasSize(4);
  }

  @Test
  void jwksFiles() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    ECPublicKey pub = (ECPublicKey) ec.generateKeyPair().getPublic();
    JsonObject jwk = new JsonObject().put("kty", "EC").put("crv", "P-256").put("kid", "e1")
        .put("x", coord(pub.getW().getAffineX())).put("y", coord(pub.getW().getAffineY()));
    Path ok = write("ok.json", new JsonObject().put("keys", new JsonArray().add(jwk)
        .add(new JsonObject().put("kty", "RSA").put("use", "enc").put("n", "AQAB").put("e", "AQAB"))).encode());
    assertThat(JwtKeys.jwks(ok.toString())).singleElement()
        .satisfies(k -> assertThat(k.getString("alg")).isEqualTo("ES256")); // from crv; the enc key skipped

    String key = "auth.jwt.jwks";
    assertConfigError(() -> JwtKeys.jwks(write("a.json", "[1]").toString()), key, "\"keys\"");
    assertConfigError(() -> JwtKeys.jwks(write("b.json", "{\"keys\": []}").toString()), key, "no signature key");
    assertConfigError(() -> JwtKeys.jwks(write("c.json", new JsonObject().put("keys", new JsonArray()
        .add(jwk.copy().put("d", "AAAA"))).encode()).toString()), key, "private key");
    assertConfigError(() -> JwtKeys.jwks(write("d.json", new JsonObject().put("keys", new JsonArray()
        .add(new JsonObject().put("kty", "oct").put("k", "c2VjcmV0"))).encode()).toString()), key, "kty");
    assertConfigError(() -> JwtKeys.jwks(write("e.json", new JsonObject().put("keys", new JsonArray()
        .add(jwk.copy().put("crv", "P-256").put("x", "!!not-base64!!"))).encode()).toString()), key, "not a usable key");
  }

  static String coord(java.math.BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(32, b.length);
    System.arraycopy(b, b.length - n, out, 32 - n, n);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  @Test
  void docsClaim() {
    DocumentGrants g = DocumentGrants.parse(Map.of("team-a/*", "rw", "team-a/archive/*", "ro", "team-a/archive/open", "rw",
        "notes/x", "ro"));
    assertThat(g.access("team-a/plan")).isEqualTo(Access.READ_WRITE);
    assertThat(g.access("team-a/archive/2020")).isEqualTo(Access.READ_ONLY);
    assertThat(g.access("team-a/archive/open")).isEqualTo(Access.READ_WRITE);
    assertThat(g.access("notes/x")).isEqualTo(Access.READ_ONLY);
    assertThat(g.access("notes/xy")).isNull();
    assertThat(g.access("team-a")).isNull();
    assertThat(DocumentGrants.parse(Map.of("*", "ro")).access("anything")).isEqualTo(Access.READ_ONLY);
    assertThat(DocumentGrants.parse(null).access("anything")).isNull();
    assertThatThrownBy(() -> DocumentGrants.parse(Map.of("a", "write"))).isInstanceOf(AuthenticationException.class);
    assertThatThrownBy(() -> DocumentGrants.parse(Map.of("a*b", "rw"))).isInstanceOf(AuthenticationException.class);
    assertThatThrownBy(() -> DocumentGrants.parse(Map.of("", "rw"))).isInstanceOf(AuthenticationException.class);
    assertThatThrownBy(() -> DocumentGrants.parse("team-a/*")).isInstanceOf(AuthenticationException.class);
    Principal admin = new Principal("root", Long.MAX_VALUE, true, DocumentGrants.none());
    assertThat(admin.access("any")).isEqualTo(Access.READ_WRITE);
  }
}
