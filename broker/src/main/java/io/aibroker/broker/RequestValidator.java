package io.aibroker.broker;

import io.aibroker.records.CacheOptions;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.Task;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks a request against the size limits and the model catalog before anything else. */
public final class RequestValidator {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@/+=-]+");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

  private final RequestLimits limits;
  private final ModelCatalog models;

  /** A validator for the given limits and models. */
  public RequestValidator(RequestLimits limits, ModelCatalog models) {
    this.limits = limits;
    this.models = models;
  }

  /** True when the value is a well-formed id (requestId, tenantId, ...) under these limits. */
  public boolean isValidId(String value) {
    return value != null
        && !value.isEmpty()
        && value.length() <= limits.maxIdLength()
        && ID.matcher(value).matches();
  }

  /** The first problem of the request, or empty if it may proceed. */
  public Optional<Rejection> validate(InferenceRequest request, Instant now) {
    return firstOf(
        checkId("requestId", request.getRequestId(), true),
        checkId("tenantId", request.getTenantId(), true),
        checkId("userId", request.getUserId(), false),
        checkId("idempotencyKey", request.getIdempotencyKey(), false),
        checkReplyTo(request.getReplyTo()),
        checkDeadline(request.getDeadline(), now),
        checkCache(request.getCache()),
        checkAttributes(request.getTags(), request.getMetadata()),
        checkModelAndContent(request));
  }

  @SafeVarargs
  private static Optional<Rejection> firstOf(Optional<Rejection>... checks) {
    for (Optional<Rejection> check : checks) {
      if (check.isPresent()) {
        return check;
      }
    }
    return Optional.empty();
  }

  private Optional<Rejection> checkId(String field, String value, boolean required) {
    if (value == null || value.isEmpty()) {
      return required ? invalid(field + " is required") : Optional.empty();
    }
    if (value.length() > limits.maxIdLength()) {
      return invalid(
          field + " is " + value.length() + " characters; at most " + limits.maxIdLength());
    }
    if (!ID.matcher(value).matches()) {
      return invalid(field + " may only contain letters, digits and . _ : @ / + = -");
    }
    return Optional.empty();
  }

  private static Optional<Rejection> checkReplyTo(String replyTo) {
    if (replyTo != null && !TOPIC.matcher(replyTo).matches()) {
      return invalid("replyTo is not a valid topic name");
    }
    return Optional.empty();
  }

  private static Optional<Rejection> checkDeadline(Instant deadline, Instant now) {
    if (deadline != null && !deadline.isAfter(now)) {
      return reject(ReasonCode.DEADLINE, "deadline " + deadline + " has already passed");
    }
    return Optional.empty();
  }

  private static Optional<Rejection> checkCache(CacheOptions cache) {
    if (cache != null && cache.getTtlSeconds() != null && cache.getTtlSeconds() < 0) {
      return invalid("cache.ttlSeconds must not be negative, was " + cache.getTtlSeconds());
    }
    return Optional.empty();
  }

  private Optional<Rejection> checkAttributes(
      Map<String, String> tags, Map<String, String> metadata) {
    // Both are copied to every result and usage event: bounded here, they cannot make an output
    // record too large for Kafka (which would stop the broker's task on that record).
    long bytes = attributeBytes(tags) + attributeBytes(metadata);
    if (bytes > limits.maxAttributeBytes()) {
      return reject(
          ReasonCode.PAYLOAD_TOO_LARGE,
          "tags and metadata are " + bytes + " bytes; at most " + limits.maxAttributeBytes());
    }
    return Optional.empty();
  }

  private static long attributeBytes(Map<String, String> attributes) {
    long bytes = 0;
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      bytes += utf8Length(e.getKey()) + utf8Length(e.getValue());
    }
    return bytes;
  }

  private Optional<Rejection> checkModelAndContent(InferenceRequest request) {
    var model = models.resolve(request.getModel());
    if (model.isEmpty()) {
      return reject(
          ReasonCode.UNKNOWN_MODEL, "unknown model '" + Printable.of(request.getModel()) + "'");
    }
    if (model.get().task() != request.getTask()) {
      return invalid(
          "model '"
              + request.getModel()
              + "' serves "
              + model.get().task()
              + " requests, not "
              + request.getTask());
    }
    return firstOf(
        request.getTask() == Task.CHAT
            ? checkMessages(request.getMessages())
            : checkInputs(request.getInputs()),
        checkParams(request.getParams(), model.get()));
  }

  private Optional<Rejection> checkMessages(List<ChatMessage> messages) {
    if (messages.isEmpty()) {
      return invalid("a CHAT request needs at least one message");
    }
    if (messages.size() > limits.maxMessages()) {
      return reject(
          ReasonCode.PAYLOAD_TOO_LARGE,
          messages.size() + " messages; at most " + limits.maxMessages());
    }
    long bytes = 0;
    for (ChatMessage message : messages) {
      if (message.getRole().isBlank()) {
        return invalid("every message needs a role");
      }
      bytes += utf8Length(message.getContent());
    }
    return checkPromptBytes(bytes);
  }

  private Optional<Rejection> checkInputs(List<String> inputs) {
    if (inputs.isEmpty()) {
      return invalid("an EMBED request needs at least one input");
    }
    if (inputs.size() > limits.maxInputs()) {
      return reject(
          ReasonCode.PAYLOAD_TOO_LARGE, inputs.size() + " inputs; at most " + limits.maxInputs());
    }
    return checkPromptBytes(inputs.stream().mapToLong(RequestValidator::utf8Length).sum());
  }

  private Optional<Rejection> checkPromptBytes(long bytes) {
    if (bytes > limits.maxPromptBytes()) {
      return reject(
          ReasonCode.PAYLOAD_TOO_LARGE,
          "prompt is " + bytes + " bytes; at most " + limits.maxPromptBytes());
    }
    return Optional.empty();
  }

  private static Optional<Rejection> checkParams(GenerationParams params, ModelDefinition model) {
    if (params == null) {
      return Optional.empty();
    }
    Integer maxTokens = params.getMaxTokens();
    if (maxTokens != null && (maxTokens < 1 || maxTokens > model.maxOutputTokens())) {
      return invalid(
          "maxTokens must be between 1 and "
              + model.maxOutputTokens()
              + " for model "
              + model.name()
              + ", was "
              + maxTokens);
    }
    Double temperature = params.getTemperature();
    if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
      return invalid("temperature must be between 0 and 2, was " + temperature);
    }
    Double topP = params.getTopP();
    if (topP != null && !(topP >= 0 && topP <= 1)) {
      return invalid("topP must be between 0 and 1, was " + topP);
    }
    return Optional.empty();
  }

  private static long utf8Length(String text) {
    // Exact for valid text; cheap enough at the 1 MiB limit.
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static Optional<Rejection> invalid(String message) {
    return reject(ReasonCode.INVALID_REQUEST, message);
  }

  private static Optional<Rejection> reject(ReasonCode reason, String message) {
    return Optional.of(new Rejection(reason, message));
  }
}
