package io.aibroker.connector.workersai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.Task;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchSubmission;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What decoding a batch line needs from its call, kept in the job's attributes because a poll (in
 * another process, after a restart) has only the recorded {@link BatchJob}: the task, each chat
 * line's {@code max_tokens} (to tell a cut reply from a finished one, as the real-time path does)
 * and each embedding line's number of inputs and estimated tokens.
 *
 * <p>Attributes: {@value #MODEL}, {@value #TASK}; for chat either {@value #MAX_TOKENS} (all lines
 * share one cap, the usual case, a few bytes) or {@value #LINES}; for embeddings {@value #LINES}.
 * {@value #LINES} is a JSON object by request id, so a job record grows with its lines only when
 * they differ.
 */
final class BatchLineShapes {

  /** The provider model, to build the poll URL. */
  static final String MODEL = "model";

  /** The task of every line. */
  static final String TASK = "task";

  /** The {@code max_tokens} every chat line shares. */
  static final String MAX_TOKENS = "maxTokens";

  /** Per-line shapes, JSON by request id. */
  static final String LINES = "lines";

  private final Task task;
  private final Integer sharedMaxTokens;
  private final JsonNode lines;

  private BatchLineShapes(Task task, Integer sharedMaxTokens, JsonNode lines) {
    this.task = task;
    this.sharedMaxTokens = sharedMaxTokens;
    this.lines = lines;
  }

  /**
   * The attributes of a job of {@code submission}'s calls.
   *
   * @throws IllegalArgumentException if the calls are of different tasks
   */
  static Map<String, String> attributes(BatchSubmission submission) {
    Task task = submission.calls().get(0).task();
    Map<String, String> attributes = new HashMap<>();
    attributes.put(MODEL, submission.providerModel());
    attributes.put(TASK, task.name());
    ObjectNode lines = WorkersAiJson.object();
    boolean uniform = true;
    Integer first = submission.calls().get(0).params().maxTokens();
    for (ProviderCall call : submission.calls()) {
      if (call.task() != task) {
        throw new IllegalArgumentException("a batch job mixes chat and embedding calls");
      }
      ObjectNode line = lines.putObject(call.requestId());
      if (task == Task.EMBED) {
        line.put("inputs", call.inputs().size());
        line.put("estimatedTokens", WorkersAiJson.estimateTokens(call.inputs()));
      } else {
        Integer maxTokens = call.params().maxTokens();
        uniform &= Objects.equals(first, maxTokens);
        if (maxTokens != null) {
          line.put("maxTokens", maxTokens);
        }
      }
    }
    if (task == Task.CHAT && uniform) {
      if (first != null) {
        attributes.put(MAX_TOKENS, first.toString());
      }
    } else {
      attributes.put(LINES, new String(WorkersAiJson.bytes(lines), StandardCharsets.UTF_8));
    }
    return attributes;
  }

  /** Reads the shapes back from a recorded job. */
  static BatchLineShapes of(BatchJob job) throws WorkersAiJson.Malformed {
    Map<String, String> attributes = job.attributes();
    Task task;
    try {
      task = Task.valueOf(attributes.getOrDefault(TASK, Task.CHAT.name()));
    } catch (IllegalArgumentException unknown) {
      throw new WorkersAiJson.Malformed("job attribute " + TASK + " is not a task");
    }
    Integer shared = null;
    if (attributes.containsKey(MAX_TOKENS)) {
      try {
        shared = Integer.valueOf(attributes.get(MAX_TOKENS));
      } catch (NumberFormatException notANumber) {
        throw new WorkersAiJson.Malformed("job attribute " + MAX_TOKENS + " is not a number");
      }
    }
    JsonNode lines =
        attributes.containsKey(LINES)
            ? WorkersAiJson.parse(attributes.get(LINES))
            : WorkersAiJson.object();
    return new BatchLineShapes(task, shared, lines);
  }

  /** The task of every line. */
  Task task() {
    return task;
  }

  /** A chat line's {@code max_tokens}, or {@code null} if it set none. */
  Integer maxTokens(String requestId) {
    JsonNode line = lines.path(requestId).path("maxTokens");
    return line.canConvertToInt() ? Integer.valueOf(line.asInt()) : sharedMaxTokens;
  }

  /** How many inputs an embedding line had. */
  int inputs(String requestId) {
    return lines.path(requestId).path("inputs").asInt(0);
  }

  /** An embedding line's estimated input tokens, for replies without usage. */
  long estimatedTokens(String requestId) {
    return lines.path(requestId).path("estimatedTokens").asLong(0);
  }
}
