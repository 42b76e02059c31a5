package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.config.AppConfig;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.topics.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded platform keeps topics, schema ids and records across a clean restart. */
class PlatformRestartIT {

  @TempDir Path dataDir;

  @Test
  void keepsTopicsSchemaIdsAndRecordsAcrossACleanRestart() throws Exception {
    AppConfig config = TestPlatforms.config(TestPlatforms.freePorts(dataDir));

    Map<String, Integer> idsBefore;
    List<String> topicsBefore;
    String firstRequestId;
    try (Platform platform = Platform.start(config, Clock.systemUTC())) {
      InferenceResult result = submit(platform, "first");
      assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
      assertThat(result.getOutput().getText()).isNotBlank();
      firstRequestId = result.getRequestId();
      idsBefore = ExternalPlatform.schemaIds(platform.schemaRegistryUrl());
      topicsBefore = ExternalPlatform.topicNames(platform.bootstrapServers());
    }

    try (Platform platform = Platform.start(config, Clock.systemUTC())) {
      assertThat(ExternalPlatform.topicNames(platform.bootstrapServers()))
          .containsAll(topicsBefore);
      assertThat(ExternalPlatform.schemaIds(platform.schemaRegistryUrl()))
          .containsAllEntriesOf(idsBefore);
      assertThat(
              ExternalPlatform.resultIds(
                  platform.bootstrapServers(), platform.schemaRegistryUrl(), Topics.defaults()))
          .contains(firstRequestId);
      assertThat(submit(platform, "second").getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
    }
  }

  private static InferenceResult submit(Platform platform, String text) throws Exception {
    return ExternalPlatform.submit(platform.bootstrapServers(), platform.schemaRegistryUrl(), text);
  }
}
