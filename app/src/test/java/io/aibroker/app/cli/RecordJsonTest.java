package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

  @Test
  void controlCharactersJsonAllowsRawAreEscapedToo() throws Exception {
    String id = "a\u001b[2J\u007f\u009b\u0085é";
    InferenceResult result =
        InferenceResult.newBuilder()
            .setRequestId(id)
            .setTenantId("t")
            .setStatus(ResultStatus.SUCCEEDED)
            .setCompletedAt(Instant.parse("2026-01-01T00:00:00Z"))
            .build();

    String json = RecordJson.toJson(result);

    assertThat(json)
        .contains("a\\u001B[2J\\u007F\\u009b\\u0085é")
        .doesNotContain("\u001b", "\u007f", "\u009b", "\u0085");
    assertThat(new ObjectMapper().readTree(json).get("requestId").asText()).isEqualTo(id);
  }
}
