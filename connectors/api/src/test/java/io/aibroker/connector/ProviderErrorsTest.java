package io.aibroker.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ProviderErrorsTest {

  private final List<Throwable> mapped = new ArrayList<>();
  private ProviderErrorMapper mapper =
      error -> {
        mapped.add(error);
        return new RateLimitedException("stub", "mapped", null, 429, null, error);
      };
  private final Connector connector =
      new Connector() {
        @Override
        public String provider() {
          return "stub";
        }

        @Override
        public CompletionStage<ProviderResponse> call(ProviderCall call) {
          return new CompletableFuture<>();
        }

        @Override
        public ProviderErrorMapper errorMapper() {
          return error -> mapper.map(error);
        }
      };

  @Test
  void aClassifiedFailurePassesThroughUnchangedSoClassifyingTwiceIsClassifyingOnce() {
    ProviderException once =
        ProviderErrors.classify(connector, new CompletionException(new IOException("reset")));

    ProviderException twice = ProviderErrors.classify(connector, new CompletionException(once));

    assertThat(twice).isSameAs(once);
    assertThat(mapped).singleElement().isInstanceOf(IOException.class);
    assertThat(once.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
  }

  @Test
  void theMapperSeesTheErrorInsideTheWrappers() {
    IOException reset = new IOException("reset");

    ProviderErrors.classify(
        connector, new CompletionException(new ExecutionException(new CompletionException(reset))));

    assertThat(mapped).containsExactly(reset);
  }

  @Test
  void aMapperReturningNullOrThrowingFallsBackToTheSharedClassification() {
    mapper = error -> null;
    assertThat(ProviderErrors.classify(connector, new TimeoutException()).kind())
        .isEqualTo(ErrorKind.TIMEOUT);

    mapper =
        error -> {
          throw new IllegalStateException("mapper bug");
        };
    IOException reset = new IOException("reset");
    ProviderException failure = ProviderErrors.classify(connector, reset);
    assertThat(failure.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
    assertThat(reset.getSuppressed())
        .singleElement()
        .extracting(Throwable::getMessage)
        .isEqualTo("mapper bug");
  }

  @Test
  void noFailureAtAllIsAConnectorThatGaveNoResponse() {
    ProviderErrors.classify(connector, null);

    assertThat(mapped)
        .singleElement()
        .isInstanceOf(IllegalStateException.class)
        .extracting(Throwable::getMessage)
        .isEqualTo("stub connector returned no response");
  }
}
