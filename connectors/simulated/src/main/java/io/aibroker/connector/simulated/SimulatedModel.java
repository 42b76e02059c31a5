package io.aibroker.connector.simulated;

import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The "model": pure functions from a call to a reply. The same messages, model and sampling
 * parameters always give the same text; {@code maxTokens} only cuts it shorter, like a real model
 * stopping early. Tokens are estimated at four characters each.
 */
final class SimulatedModel {

  /** Dimension of the simulated embedding vectors. */
  static final int EMBEDDING_DIMENSIONS = 16;

  private static final int CHARS_PER_TOKEN = 4;
  private static final int ECHO_CHARS = 40;

  private static final String[] WORDS = {
    "the",
    "broker",
    "model",
    "request",
    "answer",
    "stream",
    "token",
    "simply",
    "quickly",
    "kafka",
    "queue",
    "deadline",
    "tenant",
    "partition",
    "reply",
    "signal",
    "careful",
    "steady",
    "routes",
    "returns",
    "measures",
    "balances",
    "waits",
    "sends",
    "a",
    "every",
    "each",
    "latency",
    "budget",
    "result",
    "context",
    "prompt",
    "provider",
    "cluster",
    "record",
    "window",
    "retry",
    "backoff",
    "quota",
    "ledger",
    "event",
    "topic",
    "offset",
    "consumer",
    "worker",
    "batch",
    "clear",
    "small",
    "large",
    "useful",
    "and",
    "with",
    "for",
    "from",
    "into",
    "over",
    "under",
    "after",
    "before",
    "again",
    "still",
    "often",
    "rarely",
    "always"
  };

  private SimulatedModel() {}

  /** The chat reply to {@code call}, capped at {@code maxOutputTokens}. */
  static ProviderResponse chat(ProviderCall call, int maxOutputTokens) {
    GenerationParams params = call.params();
    String text = fullReply(call);
    String finishReason = ProviderResponse.FINISH_STOP;
    text = cutAtStopSequence(text, params.stop());
    int budget =
        params.maxTokens() == null
            ? maxOutputTokens
            : Math.min(params.maxTokens(), maxOutputTokens);
    if (outputTokens(text) > budget) {
      text = cut(text, budget * CHARS_PER_TOKEN);
      finishReason = ProviderResponse.FINISH_LENGTH;
    }
    long inputTokens = call.messages().stream().mapToLong(m -> inputTokens(m.content())).sum();
    return ProviderResponse.ofText(
        text, finishReason, new TokenUsage(inputTokens, outputTokens(text)));
  }

  /** One unit-length vector per input, depending only on model and input. */
  static ProviderResponse embed(ProviderCall call) {
    List<List<Float>> vectors = new ArrayList<>(call.inputs().size());
    long inputTokens = 0;
    for (String input : call.inputs()) {
      vectors.add(embedding(call.providerModel(), input));
      inputTokens += inputTokens(input);
    }
    return ProviderResponse.ofEmbeddings(vectors, new TokenUsage(inputTokens, 0));
  }

  /** Prompt tokens of one message or input: a quarter of its characters, at least 1. */
  static long inputTokens(String text) {
    return Math.max(1, Math.ceilDiv(text.length(), CHARS_PER_TOKEN));
  }

  /** Reply tokens: a quarter of its characters, 0 for an empty reply. */
  static long outputTokens(String text) {
    return Math.ceilDiv(text.length(), CHARS_PER_TOKEN);
  }

  private static String fullReply(ProviderCall call) {
    // maxTokens and stop are left out on purpose: they cut the reply, they do not change it.
    Fingerprint fingerprint = new Fingerprint().add(call.providerModel());
    for (ChatMessage message : call.messages()) {
      fingerprint.add(message.role()).add(message.content());
    }
    fingerprint.add(call.params().temperature()).add(call.params().topP());
    SplittableRandom random = new SplittableRandom(fingerprint.value());

    StringBuilder reply = new StringBuilder();
    String echo = echo(call.messages());
    if (!echo.isEmpty()) {
      reply.append("You said \"").append(echo).append("\".");
    }
    int sentences = 2 + random.nextInt(4);
    for (int s = 0; s < sentences; s++) {
      int words = 4 + random.nextInt(9);
      for (int w = 0; w < words; w++) {
        String word = WORDS[random.nextInt(WORDS.length)];
        if (w == 0) {
          word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
        }
        if (!reply.isEmpty()) {
          reply.append(' ');
        }
        reply.append(word);
      }
      reply.append('.');
    }
    return reply.toString();
  }

  /** The start of the last user message (or of the last message), whitespace collapsed. */
  private static String echo(List<ChatMessage> messages) {
    ChatMessage source = messages.getLast();
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (ChatMessage.USER.equals(messages.get(i).role())) {
        source = messages.get(i);
        break;
      }
    }
    String collapsed = source.content().strip().replaceAll("\\s+", " ");
    return collapsed.length() <= ECHO_CHARS ? collapsed : cut(collapsed, ECHO_CHARS) + "...";
  }

  private static String cutAtStopSequence(String text, List<String> stops) {
    int end = text.length();
    for (String stop : stops) {
      int at = stop.isEmpty() ? -1 : text.indexOf(stop);
      if (at >= 0) {
        end = Math.min(end, at);
      }
    }
    return text.substring(0, end);
  }

  /** The first {@code maxChars} characters, never splitting a surrogate pair. */
  private static String cut(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    int end = maxChars;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  private static List<Float> embedding(String model, String input) {
    SplittableRandom random = new SplittableRandom(new Fingerprint().add(model).add(input).value());
    double[] vector = new double[EMBEDDING_DIMENSIONS];
    double squares = 0;
    for (int i = 0; i < vector.length; i++) {
      vector[i] = random.nextGaussian();
      squares += vector[i] * vector[i];
    }
    double norm = Math.sqrt(squares);
    List<Float> unit = new ArrayList<>(vector.length);
    for (double component : vector) {
      unit.add((float) (component / norm));
    }
    return unit;
  }
}
