package io.aibroker.bench;

import io.aibroker.records.ChatMessage;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.Route;
import io.aibroker.records.Task;
import io.aibroker.registry.InMemorySchemaRegistryClient;
import io.aibroker.schemas.RecordSerdes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The Confluent wire-format serdes of schemas (schema ids cached after the first record, as in
 * steady state): a request as the broker reads it, and a dispatch as the broker writes it and the
 * worker reads it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerdeBenchmark {

  private Serializer<InferenceRequest> requestWriter;
  private Deserializer<InferenceRequest> requestReader;
  private Serializer<DispatchRequest> dispatchWriter;
  private Deserializer<DispatchRequest> dispatchReader;
  private InferenceRequest request;
  private DispatchRequest dispatch;
  private byte[] requestBytes;
  private byte[] dispatchBytes;

  /** Serdes on an in-memory registry, and one record of each kind already written once. */
  @Setup
  public void setUp() {
    RecordSerdes serdes = new RecordSerdes(new InMemorySchemaRegistryClient());
    requestWriter = serdes.requests().serializer();
    requestReader = serdes.requests().deserializer();
    dispatchWriter = serdes.dispatches().serializer();
    dispatchReader = serdes.dispatches().deserializer();
    Instant now = Instant.parse("2026-03-15T10:15:30Z");
    request =
        InferenceRequest.newBuilder()
            .setRequestId("0f8e2c1a-6b1d-4c59-9a43-6f0d2a9b7c11")
            .setTenantId("acme")
            .setTask(Task.CHAT)
            .setModel("chat-default")
            .setMessages(
                List.of(
                    new ChatMessage("system", "You are a helpful assistant.", null),
                    new ChatMessage(
                        "user", "Summarize the quarterly report in three bullet points.", null)))
            .setParams(GenerationParams.newBuilder().setMaxTokens(256).build())
            .setCreatedAt(now)
            .build();
    dispatch =
        DispatchRequest.newBuilder()
            .setRequestId(request.getRequestId())
            .setTenantId("acme")
            .setRequest(request)
            .setRoute(new Route("simulated", "local", "sim-chat-1", "standard", null))
            .setAttempt(1)
            .setFallbacks(new ArrayList<>())
            .setDispatchedAt(now)
            .build();
    requestBytes = requestWriter.serialize("aibroker.requests", request);
    dispatchBytes = dispatchWriter.serialize("aibroker.dispatch.simulated", dispatch);
  }

  /** InferenceRequest to wire format. */
  @Benchmark
  public byte[] serializeRequest() {
    return requestWriter.serialize("aibroker.requests", request);
  }

  /** Wire format to InferenceRequest. */
  @Benchmark
  public InferenceRequest deserializeRequest() {
    return requestReader.deserialize("aibroker.requests", requestBytes);
  }

  /** DispatchRequest (a request with its route) to wire format. */
  @Benchmark
  public byte[] serializeDispatch() {
    return dispatchWriter.serialize("aibroker.dispatch.simulated", dispatch);
  }

  /** Wire format to DispatchRequest. */
  @Benchmark
  public DispatchRequest deserializeDispatch() {
    return dispatchReader.deserialize("aibroker.dispatch.simulated", dispatchBytes);
  }
}
