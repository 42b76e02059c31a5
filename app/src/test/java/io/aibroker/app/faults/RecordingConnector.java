package io.aibroker.app.faults;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.TextDelta;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The connector a storm's worker calls: logs each call's start in a {@link CallLog}, then hands it
 * to the current delegate, which a run may replace (a simulated connector whose fault windows start
 * with the run).
 */
final class RecordingConnector implements Connector {

  private final String provider;
  private final Supplier<Connector> delegate;
  private final CallLog log;
  private final Clock clock;

  RecordingConnector(String provider, Supplier<Connector> delegate, CallLog log, Clock clock) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String provider() {
    return provider;
  }

  @Override
  public CompletionStage<ProviderResponse> call(ProviderCall call) {
    record(call);
    return delegate.get().call(call);
  }

  @Override
  public CompletionStage<ProviderResponse> stream(ProviderCall call, Consumer<TextDelta> onDelta) {
    record(call);
    return delegate.get().stream(call, onDelta);
  }

  @Override
  public ProviderErrorMapper errorMapper() {
    return delegate.get().errorMapper();
  }

  private void record(ProviderCall call) {
    log.started(new CallLog.Call(call.requestId(), provider, call.deployment(), clock.instant()));
  }
}
