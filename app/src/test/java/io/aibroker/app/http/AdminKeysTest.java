package io.aibroker.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminKeysTest {

  private static final String KEY = "admin-0123456789";
  private final AdminKeys keys = new AdminKeys(List.of(ApiKeys.sha256(KEY)));

  private static String basic(String credentials) {
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void admitsTheKeyAsBearerTokenOrAsBasicAuthPasswordWithAnyUserName() {
    assertThat(keys.admits("Bearer " + KEY)).isTrue();
    assertThat(keys.admits("bearer " + KEY)).isTrue();
    assertThat(keys.admits(basic("ops:" + KEY))).isTrue();
    assertThat(keys.admits(basic(":" + KEY))).isTrue();
  }

  @Test
  void refusesOtherKeysMissingOrMalformedCredentials() {
    assertThat(keys.admits(null)).isFalse();
    assertThat(keys.admits("")).isFalse();
    assertThat(keys.admits("Bearer ")).isFalse();
    assertThat(keys.admits("Bearer " + KEY + "x")).isFalse();
    assertThat(keys.admits(KEY)).isFalse();
    assertThat(keys.admits(basic(KEY))).as("no password part").isFalse();
    assertThat(keys.admits("Basic not-base64!")).isFalse();
    assertThat(keys.admits("Digest " + KEY)).isFalse();
  }

  @Test
  void withoutKeysNothingIsConfiguredAndNoKeyIsAdmitted() {
    AdminKeys none = AdminKeys.none();

    assertThat(none.configured()).isFalse();
    assertThat(none.admits("Bearer " + KEY)).isFalse();
    assertThat(new AdminKeys(null).configured()).isFalse();
    assertThat(keys.configured()).isTrue();
  }

  @Test
  void hashesAreReadCaseInsensitively() {
    AdminKeys upper = new AdminKeys(List.of(ApiKeys.sha256(KEY).toUpperCase()));

    assertThat(upper.admits("Bearer " + KEY)).isTrue();
  }

  @Test
  void aConfiguredEntryThatIsNotAHashIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> new AdminKeys(List.of(KEY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SHA-256")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void aTenantsApiKeyCannotAlsoBeAnAdminKey() {
    ApiKeys tenants = new ApiKeys(Map.of(ApiKeys.sha256(KEY), "acme"));

    assertThatThrownBy(() -> keys.requireDistinctFrom(tenants))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("acme");
    keys.requireDistinctFrom(new ApiKeys(Map.of(ApiKeys.sha256("sk-acme"), "acme")));
  }

  @Test
  void aTenantsApiKeyIsNotAnAdminKey() {
    assertThat(keys.admits("Bearer sk-acme")).isFalse();
  }
}
