package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdsTest {

  @ParameterizedTest
  @ValueSource(strings = {"acme", "a", "team.eu-west_1", "org:acme/unit+b=c@x", "A9"})
  void acceptsIdsOfTheAllowedCharacters(String id) {
    assertThat(TenantIds.check(id)).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"with space", "semi;colon", "quote\"", "ünïcode", "tab\t"})
  void rejectsOtherCharactersNamingTheAllowedOnes(String id) {
    assertThatThrownBy(() -> TenantIds.check(id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("may only contain letters, digits and . _ : @ / + = -");
  }

  @Test
  void rejectsEmptyAndOverlongIds() {
    assertThatThrownBy(() -> TenantIds.check("")).hasMessage("tenant id must not be empty");
    assertThat(TenantIds.check("a".repeat(128))).hasSize(128);
    assertThatThrownBy(() -> TenantIds.check("a".repeat(129)))
        .hasMessage("tenant id must be at most 128 characters, was 129");
  }
}
