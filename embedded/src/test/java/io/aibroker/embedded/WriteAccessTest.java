package io.aibroker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WriteAccessTest {

  private static final String CREDENTIAL = "admin:s3cret:with-colon";

  @Test
  void withoutACredentialOnlyLoopbackHostsMayWrite() {
    WriteAccess access = WriteAccess.loopbackOnly();

    assertThat(access.permits("localhost:8081", null)).isTrue();
    assertThat(access.permits("evil.example", basic(CREDENTIAL))).isFalse();
    assertThat(access.needsCredential()).isFalse();
  }

  @Test
  void withACredentialOnlyItsHoldersMayWriteWhateverTheirHost() {
    WriteAccess access = WriteAccess.basicAuth(CREDENTIAL);

    assertThat(access.permits("registry.internal", basic(CREDENTIAL))).isTrue();
    assertThat(access.permits("localhost", "basic " + encode(CREDENTIAL))).isTrue();
    assertThat(access.permits("localhost", null)).isFalse();
    assertThat(access.permits("localhost", basic("admin:s3cret"))).isFalse();
    assertThat(access.permits("localhost", basic(CREDENTIAL + "x"))).isFalse();
    assertThat(access.permits("localhost", "Bearer " + encode(CREDENTIAL))).isFalse();
    assertThat(access.permits("localhost", "Basic not-base64!")).isFalse();
    assertThat(access.permits("localhost", "Basic ")).isFalse();
    assertThat(access.needsCredential()).isTrue();
  }

  @Test
  void aMalformedCredentialIsRejectedWithoutShowingIt() {
    assertThatThrownBy(() -> WriteAccess.basicAuth("no-colon-secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("no-colon-secret");
    assertThatThrownBy(() -> WriteAccess.basicAuth(":secret-only"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret-only");
  }

  @Test
  void itsDescriptionNeverShowsTheCredential() {
    assertThat(WriteAccess.basicAuth(CREDENTIAL).toString()).doesNotContain("s3cret", "admin");
  }

  private static String basic(String userColonPassword) {
    return "Basic " + encode(userColonPassword);
  }

  private static String encode(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
