package io.aibroker.connector.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.aibroker.connector.testing.ToyConnector.Bug;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Every conformance test can fail: each {@link Bug} of the toy connector makes exactly the tests
 * meant to catch it fail, and no others.
 */
class ConformanceSuiteCatchesBrokenConnectorsTest {

  @AfterEach
  void fixTheConnector() {
    ToyConformanceTest.bug = Bug.NONE;
  }

  @ParameterizedTest
  @EnumSource(Bug.class)
  void eachDefectFailsExactlyTheTestsMeantToCatchIt(Bug bug) {
    ToyConformanceTest.bug = bug;

    Events tests =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(ToyConformanceTest.class))
            .execute()
            .testEvents();

    Set<String> failed = new TreeSet<>();
    tests
        .finished()
        .filter(
            event ->
                event.getRequiredPayload(TestExecutionResult.class).getStatus()
                    != TestExecutionResult.Status.SUCCESSFUL)
        .map(ConformanceSuiteCatchesBrokenConnectorsTest::methodName)
        .forEach(failed::add);
    assertThat(failed).as("failing tests with %s", bug).isEqualTo(expectedFailures(bug));
    assertThat(tests.started().count()).as("tests run").isEqualTo(17);
  }

  private static Set<String> expectedFailures(Bug bug) {
    return switch (bug) {
      case NONE -> Set.of();
      case WRONG_TEXT ->
          Set.of("successReturnsTextAndUsage", "cachePointsReachTheProviderInItsFormat");
      case NO_STREAMING -> Set.of("streamingEmitsDeltasThenUsage");
      case NO_EMBEDDING_USAGE -> Set.of("embeddingsReturnVectorsAndUsage");
      case IGNORES_RETRY_AFTER -> Set.of("rateLimitIsRetryableWithTheProvidersRetryHint");
      case SERVER_ERROR_IS_TERMINAL -> Set.of("serverErrorIsRetryable");
      case CLIENT_ERRORS_ARE_RETRYABLE ->
          Set.of("badRequestIsTerminal", "unauthorizedIsTerminal", "forbiddenIsTerminal");
      case NO_TIMEOUT -> Set.of("hangTimesOutAsRetryable");
      case MALFORMED_IS_SUCCESS -> Set.of("malformedBodyIsAnError", "secretsNeverInErrorMessages");
      case STREAM_ERRORS_SWALLOWED ->
          Set.of("streamCutBeforeFinalFrameIsAnErrorNotASuccess", "secretsNeverInErrorMessages");
      // the streamed 200 with a malformed body also passes as an (empty) success
      case MISSING_END_IS_SUCCESS ->
          Set.of(
              "streamEndingEarlyWithoutErrorIsStillAnErrorNotASuccess",
              "secretsNeverInErrorMessages");
      case RETRIES_ONCE -> Set.of("sdkDoesNotRetry");
      case LEAKS_SECRET -> Set.of("secretsNeverInErrorMessages");
      case DROPS_CACHE_TOKENS ->
          Set.of(
              "cacheAndReasoningTokensComeThrough", "cacheAndReasoningTokensComeThroughStreamed");
      case NO_CACHE_POINTS -> Set.of("cachePointsReachTheProviderInItsFormat");
    };
  }

  private static String methodName(Event event) {
    return event
        .getTestDescriptor()
        .getSource()
        .filter(MethodSource.class::isInstance)
        .map(source -> ((MethodSource) source).getMethodName())
        .orElse(event.getTestDescriptor().getDisplayName());
  }
}
