package dev.tandem.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DocumentNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "my-doc", "team/notes/2024-01-01", "user@example.com:draft", "Über straße",
      "文档", "emoji \uD83D\uDE00 doc", "a.b_c-d:e/f@g+h=i,j;k!l~m*n'o(p)q[r]s$t&u|v", "x..y", ".hidden", "a/.../b"})
  void acceptsValidNames(String name) {
    assertThat(DocumentNames.validate(name)).isEqualTo(name);
    assertThat(DocumentNames.isValid(name)).isTrue();
  }

  @Test
  void lengthLimits() {
    assertThat(DocumentNames.isValid("x".repeat(255))).isTrue();
    assertThatThrownBy(() -> DocumentNames.validate("x".repeat(256)))
        .isInstanceOf(InvalidDocumentNameException.class).hasMessageContaining("longer than 255");
    assertThatThrownBy(() -> DocumentNames.validate(""))
        .isInstanceOf(InvalidDocumentNameException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> DocumentNames.validate(null))
        .isInstanceOf(InvalidDocumentNameException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a{b", "a}b", "{doc}", "a\u0000b", "a\nb", "a\tb", "a\u007fb", "a\u0085b", "a\u2028b",
      "a\\b", "a?b", "a#b", "a%20b", " lead", "trail ", "/abs", "a/../b", "..", ".", "a/.", "\uD83Dx", "x\uDE00",
      "a\uFEFFb"})
  void rejectsInvalidNames(String name) {
    assertThatThrownBy(() -> DocumentNames.validate(name))
        .isInstanceOf(InvalidDocumentNameException.class)
        .satisfies(e -> assertThat(((InvalidDocumentNameException) e).reason()).isNotBlank());
  }

  @Test
  void reasonNamesTheProblem() {
    assertThatThrownBy(() -> DocumentNames.validate("a{b"))
        .hasMessageContaining("hash tag").hasMessageContaining("index 1");
    assertThatThrownBy(() -> DocumentNames.validate("ab\u0001"))
        .hasMessageContaining("U+0001");
  }
}
