package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.config.AppConfig;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.topics.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * aibroker killed with SIGKILL (no clean stop) comes back on the same data dir with its topics,
 * schema ids and records; a SIGTERM stops it cleanly.
 */
class CrashRecoveryIT {

  @TempDir Path dataDir;

  @Test
  void survivesSigkillWithTopicsSchemaIdsAndRecords() throws Exception {
    // the killed process's group members must not hold the restarted one up
    Map<String, String> settings =
        TestPlatforms.shortGroupSessions(TestPlatforms.freePorts(dataDir));
    AppConfig config = TestPlatforms.config(settings);
    String bootstrap = "127.0.0.1:" + config.kafka().embeddedPort();
    String registryUrl = "http://127.0.0.1:" + config.schemaRegistry().embeddedPort();
    Topics topics = Topics.defaults();

    Map<String, Integer> idsBefore;
    List<String> topicsBefore;
    String requestId;
    try (var child = ChildProcessPlatform.start(settings, dataDir)) {
      assertThat(child.readyLine()).contains(bootstrap).contains(registryUrl);
      InferenceResult result = ExternalPlatform.submit(bootstrap, registryUrl, "before the crash");
      assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
      requestId = result.getRequestId();
      idsBefore = ExternalPlatform.schemaIds(registryUrl);
      topicsBefore = ExternalPlatform.topicNames(bootstrap);
      child.kill();
    }

    try (var child = ChildProcessPlatform.start(settings, dataDir)) {
      assertThat(ExternalPlatform.topicNames(bootstrap)).containsAll(topicsBefore);
      assertThat(ExternalPlatform.schemaIds(registryUrl)).containsAllEntriesOf(idsBefore);
      assertThat(ExternalPlatform.resultIds(bootstrap, registryUrl, topics)).contains(requestId);
      assertThat(ExternalPlatform.submit(bootstrap, registryUrl, "after the crash").getStatus())
          .isEqualTo(ResultStatus.SUCCEEDED);
      assertThat(child.stop()).as("exit code after SIGTERM").isIn(0, 143);
    }
  }
}
