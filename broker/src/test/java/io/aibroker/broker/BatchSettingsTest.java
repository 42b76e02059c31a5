package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bounds of a route's batch pooling settings. */
class BatchSettingsTest {

  private static final Duration TWO_SECONDS = Duration.ofSeconds(2);
  private static final Duration DAY = Duration.ofHours(24);

  @Test
  void acceptsOneLineJobsAndTheLargestJobs() {
    assertThat(new BatchSettings(TWO_SECONDS, 1, 1, DAY).maxLines()).isEqualTo(1);
    assertThat(new BatchSettings(TWO_SECONDS, 1, 50_000, DAY).maxLines()).isEqualTo(50_000);
  }

  @Test
  void refusesMaxLinesOutsideOneToFiftyThousand() {
    assertThatThrownBy(() -> new BatchSettings(TWO_SECONDS, 1, 0, DAY))
        .hasMessageContaining("max-lines");
    assertThatThrownBy(() -> new BatchSettings(TWO_SECONDS, 1, 50_001, DAY))
        .hasMessageContaining("max-lines");
  }

  @Test
  void refusesMinLinesBelowOneOrAboveMaxLines() {
    assertThatThrownBy(() -> new BatchSettings(TWO_SECONDS, 0, 10, DAY))
        .hasMessageContaining("min-lines");
    assertThatThrownBy(() -> new BatchSettings(TWO_SECONDS, 11, 10, DAY))
        .hasMessageContaining("min-lines");
  }

  @Test
  void refusesAMaxWaitOrWindowThatIsNotPositive() {
    assertThatThrownBy(() -> new BatchSettings(Duration.ZERO, 1, 10, DAY))
        .hasMessageContaining("max-wait");
    assertThatThrownBy(() -> new BatchSettings(TWO_SECONDS, 1, 10, Duration.ofSeconds(-1)))
        .hasMessageContaining("window");
  }

  @Test
  void carriesItsSettingsToWorkersInMilliseconds() {
    var options = new BatchSettings(TWO_SECONDS, 5, 100, DAY).options();

    assertThat(options.getMaxWaitMs()).isEqualTo(2_000);
    assertThat(options.getMinLines()).isEqualTo(5);
    assertThat(options.getMaxLines()).isEqualTo(100);
    assertThat(options.getWindowMs()).isEqualTo(86_400_000);
  }
}
