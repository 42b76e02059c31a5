package io.aibroker.connector;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A connector factory registered for the api module's own tests. */
public final class EchoConnectorFactory implements ConnectorFactory<EchoConnectorFactory.Config> {

  /** A config record in the house style: validates itself, defaults nulls. */
  public record Config(String greeting, Duration delay, int repeat) {
    public Config {
      greeting = Objects.requireNonNullElse(greeting, "hello");
      delay = Objects.requireNonNullElse(delay, Duration.ZERO);
      if (repeat < 0) {
        throw new IllegalArgumentException("repeat must be >= 0, was " + repeat);
      }
    }
  }

  @Override
  public String name() {
    return "test-echo";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Connector create(Config config, ConnectorContext context) {
    return new Connector() {
      @Override
      public String provider() {
        return "test-echo";
      }

      @Override
      public CompletionStage<ProviderResponse> call(ProviderCall call) {
        return CompletableFuture.completedFuture(
            ProviderResponse.ofText(
                config.greeting(), ProviderResponse.FINISH_STOP, TokenUsage.ZERO));
      }

      @Override
      public ProviderErrorMapper errorMapper() {
        return error -> new ProviderServerException("test-echo", "failed");
      }
    };
  }
}
