package io.aibroker.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlsTest {

  @Test
  void removesTheUserInfoOfAUrl() {
    assertThat(Urls.withoutUserInfo("http://alice:s3cret@registry:8081"))
        .isEqualTo("http://registry:8081");
    assertThat(Urls.withoutUserInfo("https://alice@registry/base/path?x=1"))
        .isEqualTo("https://registry/base/path?x=1");
    assertThat(Urls.withoutUserInfo("http://alice:p%40ss@[::1]:8081"))
        .isEqualTo("http://[::1]:8081");
  }

  @Test
  void removesTheUserInfoOfEveryItemOfAList() {
    assertThat(
            Urls.withoutUserInfo(
                "http://a:s3cret@r1:8081,http://r2:8081, https://b:t0p@r3,c:pw@kafka:9092"))
        .isEqualTo("http://r1:8081,http://r2:8081, https://r3,kafka:9092");
  }

  @Test
  void removesCredentialsTooMalformedForAUriParser() {
    assertThat(Urls.withoutUserInfo("http://alice:s3c@ret@registry:8081"))
        .isEqualTo("http://registry:8081");
    assertThat(Urls.withoutUserInfo("http://alice:s3/cr@t@registry:8081/path"))
        .isEqualTo("http://registry:8081/path");
  }

  @Test
  void leavesUrlsWithoutUserInfoAsTheyAre() {
    assertThat(Urls.withoutUserInfo("http://127.0.0.1:8081")).isEqualTo("http://127.0.0.1:8081");
    assertThat(Urls.withoutUserInfo("localhost:9092,other:9092"))
        .isEqualTo("localhost:9092,other:9092");
    assertThat(Urls.withoutUserInfo("http://registry/search?owner=a@b#c@d"))
        .isEqualTo("http://registry/search?owner=a@b#c@d");
    assertThat(Urls.withoutUserInfo("")).isEmpty();
    assertThat(Urls.withoutUserInfo(null)).isNull();
  }
}
