package io.aibroker.connector.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.batch.BatchJobStatus.End;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BatchStatesTest {

  @ParameterizedTest
  @ValueSource(strings = {"validating", "in_progress", "finalizing", "cancelling", "Validating"})
  void aJobStillWorkingIsRunning(String state) {
    assertThat(BatchStates.end(state)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "completed, COMPLETED",
    "Completed, COMPLETED",
    "failed, FAILED",
    "expired, EXPIRED",
    "cancelled, CANCELLED",
    "canceled, CANCELLED"
  })
  void endedStatesMapToTheirEnd(String state, End end) {
    assertThat(BatchStates.end(state)).contains(end);
  }

  @ParameterizedTest
  @ValueSource(strings = {"some_new_state", ""})
  void anUnknownStateIsTakenAsRunning(String state) {
    assertThat(BatchStates.end(state)).isEmpty();
    assertThat(BatchStates.end(null)).isEmpty();
  }
}
