package io.aibroker.connector;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One call to a provider, as the worker hands it to a {@link Connector}.
 *
 * @param requestId the broker's request id; stable across retries of the same request
 * @param tenantId the tenant the call is made for
 * @param task chat or embed
 * @param providerModel the provider's model id (e.g. {@code anthropic.claude-3-haiku}, {@code
 *     @cf/meta/llama-3.1-8b-instruct})
 * @param deployment the configured deployment the call goes to (Azure deployment name, or the
 *     broker's name for a provider/model/region combination); {@code null} if there is none
 * @param messages the conversation, non-empty for {@link Task#CHAT}, empty for {@link Task#EMBED}
 * @param inputs the strings to embed, non-empty for {@link Task#EMBED}, empty for {@link
 *     Task#CHAT}
 * @param params sampling parameters; {@code null} is read as {@link GenerationParams#defaults()}
 * @param stream whether the caller wants text deltas (chat only)
 * @param deadline when the caller stops waiting; {@code null} for none
 * @param serviceTier the provider service tier to ask for ({@link #STANDARD_TIER}, {@code flex},
 *     {@code priority}); connectors of providers without tiers ignore it
 */
public record ProviderCall(
    String requestId,
    String tenantId,
    Task task,
    String providerModel,
    String deployment,
    List<ChatMessage> messages,
    List<String> inputs,
    GenerationParams params,
    boolean stream,
    Instant deadline,
    String serviceTier) {

  /** The tier every provider serves by default. */
  public static final String STANDARD_TIER = "standard";

  /** Validates the call so connectors can rely on its shape. */
  public ProviderCall {
    requireNonBlank(requestId, "requestId");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(task, "task");
    requireNonBlank(providerModel, "providerModel");
    messages = messages == null ? List.of() : List.copyOf(messages);
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    params = params == null ? GenerationParams.defaults() : params;
    serviceTier = serviceTier == null || serviceTier.isBlank() ? STANDARD_TIER : serviceTier;
    switch (task) {
      case CHAT -> {
        if (messages.isEmpty()) {
          throw new IllegalArgumentException("CHAT call " + requestId + " needs messages");
        }
        if (!inputs.isEmpty()) {
          throw new IllegalArgumentException(
              "CHAT call " + requestId + " takes messages, not inputs");
        }
      }
      case EMBED -> {
        if (inputs.isEmpty()) {
          throw new IllegalArgumentException("EMBED call " + requestId + " needs inputs");
        }
        if (!messages.isEmpty()) {
          throw new IllegalArgumentException(
              "EMBED call " + requestId + " takes inputs, not messages");
        }
        if (stream) {
          throw new IllegalArgumentException("EMBED call " + requestId + " cannot stream");
        }
      }
    }
  }

  /** A call at the standard service tier. */
  public ProviderCall(
      String requestId,
      String tenantId,
      Task task,
      String providerModel,
      String deployment,
      List<ChatMessage> messages,
      List<String> inputs,
      GenerationParams params,
      boolean stream,
      Instant deadline) {
    this(
        requestId,
        tenantId,
        task,
        providerModel,
        deployment,
        messages,
        inputs,
        params,
        stream,
        deadline,
        STANDARD_TIER);
  }

  /** A non-streaming chat call with default parameters and no deadline or deployment. */
  public static ProviderCall chat(
      String requestId, String tenantId, String providerModel, List<ChatMessage> messages) {
    return new ProviderCall(
        requestId,
        tenantId,
        Task.CHAT,
        providerModel,
        null,
        messages,
        List.of(),
        GenerationParams.defaults(),
        false,
        null);
  }

  /** An embedding call with no deadline or deployment. */
  public static ProviderCall embed(
      String requestId, String tenantId, String providerModel, List<String> inputs) {
    return new ProviderCall(
        requestId,
        tenantId,
        Task.EMBED,
        providerModel,
        null,
        List.of(),
        inputs,
        GenerationParams.defaults(),
        false,
        null);
  }

  /** True if there is a deadline and {@code now} is at or after it. */
  public boolean deadlinePassed(Instant now) {
    return deadline != null && !now.isBefore(deadline);
  }

  /** A copy with another deadline. */
  public ProviderCall withDeadline(Instant deadline) {
    return new ProviderCall(
        requestId,
        tenantId,
        task,
        providerModel,
        deployment,
        messages,
        inputs,
        params,
        stream,
        deadline,
        serviceTier);
  }

  /** A copy with other parameters. */
  public ProviderCall withParams(GenerationParams params) {
    return new ProviderCall(
        requestId,
        tenantId,
        task,
        providerModel,
        deployment,
        messages,
        inputs,
        params,
        stream,
        deadline,
        serviceTier);
  }

  /** A copy with another deployment. */
  public ProviderCall withDeployment(String deployment) {
    return new ProviderCall(
        requestId,
        tenantId,
        task,
        providerModel,
        deployment,
        messages,
        inputs,
        params,
        stream,
        deadline,
        serviceTier);
  }

  /** A copy asking for another service tier. */
  public ProviderCall withServiceTier(String serviceTier) {
    return new ProviderCall(
        requestId,
        tenantId,
        task,
        providerModel,
        deployment,
        messages,
        inputs,
        params,
        stream,
        deadline,
        serviceTier);
  }

  /** Leaves out message and input contents: they are tenant data and must not end up in logs. */
  @Override
  public String toString() {
    return "ProviderCall[requestId="
        + requestId
        + ", tenantId="
        + tenantId
        + ", task="
        + task
        + ", providerModel="
        + providerModel
        + ", deployment="
        + deployment
        + ", messages="
        + messages.size()
        + ", inputs="
        + inputs.size()
        + ", params="
        + params
        + ", stream="
        + stream
        + ", deadline="
        + deadline
        + ", serviceTier="
        + serviceTier
        + "]";
  }

  private static void requireNonBlank(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
