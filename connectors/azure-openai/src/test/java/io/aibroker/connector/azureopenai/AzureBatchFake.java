package io.aibroker.connector.azureopenai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.connector.testing.FakeBatchJobs;
import io.aibroker.connector.testing.FakeExchange;
import io.aibroker.connector.testing.RecordedRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Global Batch half of {@link AzureOpenAiFakeServer}: files and batches as Azure OpenAI serves
 * them under {@code /openai}, with job state kept in a {@link FakeBatchJobs}.
 *
 * <ul>
 *   <li>{@code POST /openai/files}: a multipart upload ({@code purpose=batch}, {@code file})
 *   <li>{@code POST /openai/batches}: creates a job of the input file's lines under {@code
 *       metadata.aibroker_job}; requires {@code /chat/completions} and {@code 24h}
 *   <li>{@code GET /openai/batches/{id}}: one status query ({@link FakeBatchJobs.Job#poll()})
 *   <li>{@code GET /openai/batches}: newest first, {@code limit} and {@code after}, with metadata
 *   <li>{@code POST /openai/batches/{id}/cancel}
 *   <li>{@code GET /openai/files/{id}} and {@code GET /openai/files/{id}/content}
 * </ul>
 *
 * <p>An ended job's output file holds its finished lines without a scripted error, each answered as
 * the real-time chat reply; its error file the finished lines with one ({@code {"response":
 * {"status_code": 400, "body": {"error": {...}}}}}) and, for an expired or cancelled job, the lines
 * it never reached ({@code "error": {"code": "batch_expired"}}), as OpenAI's batch API writes them.
 */
final class AzureBatchFake {

  /** The metadata key the connector files its job key under. */
  static final String JOB_KEY = "aibroker_job";

  /** The first {@code created_at} of the fake's objects; each object created adds a second. */
  static final long EPOCH = 1_735_000_000L;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern BATCH = Pattern.compile("^/openai/batches/([^/]+)$");
  private static final Pattern CANCEL = Pattern.compile("^/openai/batches/([^/]+)/cancel$");
  private static final Pattern FILE = Pattern.compile("^/openai/files/([^/]+)$");
  private static final Pattern CONTENT = Pattern.compile("^/openai/files/([^/]+)/content$");
  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
  private static final Pattern PART_NAME = Pattern.compile("\\bname=\"([^\"]*)\"");
  private static final Pattern FILE_NAME = Pattern.compile("filename=\"([^\"]*)\"");
  private static final String OUTPUT_PREFIX = "file-out-";
  private static final String ERROR_PREFIX = "file-err-";

  /** An uploaded file. */
  private record Upload(String id, String filename, String content, long createdAt) {}

  /** What the fake keeps of a batch beside its {@link FakeBatchJobs.Job}. */
  private record BatchInfo(String inputFileId, Map<String, String> metadata, long createdAt) {}

  private final FakeBatchJobs jobs;
  private final Function<String, String> reply;
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final Map<String, BatchInfo> batches = new ConcurrentHashMap<>();
  private final AtomicInteger sequence = new AtomicInteger();

  /**
   * @param jobs the job bookkeeping
   * @param reply the real-time chat completion JSON for a model, which answered lines carry
   */
  AzureBatchFake(FakeBatchJobs jobs, Function<String, String> reply) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.reply = Objects.requireNonNull(reply, "reply");
  }

  /** Whether {@code path} is one of the batch API's. */
  static boolean handles(String path) {
    return path.equals("/openai/files")
        || path.startsWith("/openai/files/")
        || path.equals("/openai/batches")
        || path.startsWith("/openai/batches/");
  }

  /** Answers a request to one of the batch API's paths (authenticated, scenario SUCCESS). */
  void respond(RecordedRequest request, FakeExchange exchange) throws IOException {
    String method = request.method();
    String path = request.path();
    Matcher matcher;
    if (method.equals("POST") && path.equals("/openai/files")) {
      upload(request, exchange);
    } else if (method.equals("POST") && path.equals("/openai/batches")) {
      create(request, exchange);
    } else if (method.equals("GET") && path.equals("/openai/batches")) {
      list(request, exchange);
    } else if (method.equals("GET") && (matcher = BATCH.matcher(path)).matches()) {
      Optional<FakeBatchJobs.Job> job = jobs.job(matcher.group(1));
      if (job.isEmpty()) {
        notFound(exchange);
        return;
      }
      job.get().poll();
      exchange.sendJson(200, batch(job.get(), null).toString());
    } else if (method.equals("POST") && (matcher = CANCEL.matcher(path)).matches()) {
      Optional<FakeBatchJobs.Job> job = jobs.job(matcher.group(1));
      if (job.isEmpty()) {
        notFound(exchange);
        return;
      }
      job.get().cancel();
      exchange.sendJson(200, batch(job.get(), null).toString());
    } else if (method.equals("GET") && (matcher = CONTENT.matcher(path)).matches()) {
      Optional<String> content = content(matcher.group(1));
      if (content.isEmpty()) {
        notFound(exchange);
        return;
      }
      exchange.send(200, "application/octet-stream", Map.of(), utf8(content.get()));
    } else if (method.equals("GET") && (matcher = FILE.matcher(path)).matches()) {
      Upload upload = uploads.get(matcher.group(1));
      if (upload == null) {
        notFound(exchange);
        return;
      }
      exchange.sendJson(200, file(upload).toString());
    } else {
      notFound(exchange);
    }
  }

  private void upload(RecordedRequest request, FakeExchange exchange) throws IOException {
    Map<String, String> parts = multipart(request);
    if (!"batch".equals(parts.get("purpose"))) {
      badRequest(exchange, "invalidPayload", "purpose must be batch for this fake");
      return;
    }
    String content = parts.get("file");
    if (content == null || content.isBlank()) {
      badRequest(exchange, "invalidPayload", "No file was uploaded.");
      return;
    }
    Upload upload =
        new Upload(
            "file-" + sequence.incrementAndGet(),
            parts.getOrDefault("filename", "upload.jsonl"),
            content,
            EPOCH + sequence.get());
    uploads.put(upload.id(), upload);
    exchange.sendJson(200, file(upload).toString());
  }

  private void create(RecordedRequest request, FakeExchange exchange) throws IOException {
    JsonNode body = readJson(request.body());
    if (body == null) {
      badRequest(exchange, "invalid_request", "The request body is not JSON.");
      return;
    }
    Upload input = uploads.get(body.path("input_file_id").asText(""));
    if (input == null) {
      exchange.sendJson(
          404, AzureOpenAiFakeServer.error("404", "File with id input_file_id was not found."));
      return;
    }
    if (!BatchLines.CHAT_COMPLETIONS.equals(body.path("endpoint").asText())) {
      badRequest(exchange, "invalid_request", "This fake serves /chat/completions batches only.");
      return;
    }
    if (!"24h".equals(body.path("completion_window").asText())) {
      badRequest(exchange, "invalid_request", "completion_window must be 24h.");
      return;
    }
    List<FakeBatchJobs.Line> lines = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int number = 0;
    for (String text : input.content().split("\n")) {
      number++;
      if (text.isBlank()) {
        continue;
      }
      JsonNode line = readJson(text);
      String id = line == null ? "" : line.path("custom_id").asText("");
      if (line == null
          || id.isEmpty()
          || !"POST".equals(line.path("method").asText())
          || !BatchLines.CHAT_COMPLETIONS.equals(line.path("url").asText())
          || !line.path("body").isObject()
          || !line.path("body").path("model").isTextual()) {
        badRequest(exchange, "invalid_request", "Line " + number + " is not a valid request.");
        return;
      }
      if (!ids.add(id)) {
        badRequest(exchange, "invalid_request", "Line " + number + " repeats a custom_id.");
        return;
      }
      lines.add(new FakeBatchJobs.Line(id, line.path("body").toString()));
    }
    if (lines.isEmpty()) {
      badRequest(exchange, "invalid_request", "The input file has no lines.");
      return;
    }
    Map<String, String> metadata = new java.util.LinkedHashMap<>();
    body.path("metadata")
        .properties()
        .forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
    FakeBatchJobs.Job job = jobs.create(metadata.get(JOB_KEY), lines);
    batches.put(job.id(), new BatchInfo(input.id(), metadata, EPOCH + sequence.incrementAndGet()));
    exchange.sendJson(200, batch(job, "validating").toString());
  }

  private void list(RecordedRequest request, FakeExchange exchange) throws IOException {
    int limit = 20;
    String limitParam = queryParam(request.query(), "limit");
    if (limitParam != null) {
      limit = Math.max(1, Math.min(100, Integer.parseInt(limitParam)));
    }
    String after = queryParam(request.query(), "after");
    List<FakeBatchJobs.Job> newestFirst = new ArrayList<>(jobs.jobs());
    java.util.Collections.reverse(newestFirst);
    int start = 0;
    if (after != null) {
      start = newestFirst.size();
      for (int i = 0; i < newestFirst.size(); i++) {
        if (newestFirst.get(i).id().equals(after)) {
          start = i + 1;
          break;
        }
      }
    }
    List<FakeBatchJobs.Job> page =
        newestFirst.subList(start, Math.min(newestFirst.size(), start + limit));
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    page.forEach(job -> data.add(batch(job, null)));
    if (page.isEmpty()) {
      root.putNull("first_id");
      root.putNull("last_id");
    } else {
      root.put("first_id", page.get(0).id());
      root.put("last_id", page.get(page.size() - 1).id());
    }
    root.put("has_more", start + page.size() < newestFirst.size());
    exchange.sendJson(200, root.toString());
  }

  /** A batch object; {@code state} overrides the job's (a job just created is validating). */
  private ObjectNode batch(FakeBatchJobs.Job job, String state) {
    BatchInfo info = batches.get(job.id());
    FakeBatchJobs.State now = job.state();
    long created = info == null ? EPOCH : info.createdAt();
    ObjectNode root = JSON.createObjectNode();
    root.put("id", job.id());
    root.put("object", "batch");
    root.put("endpoint", BatchLines.CHAT_COMPLETIONS);
    root.put("input_file_id", info == null ? null : info.inputFileId());
    root.put("completion_window", "24h");
    root.put("status", state != null ? state : status(now));
    root.put("created_at", created);
    root.put("expires_at", created + 86_400);
    long ended = created + 60;
    putTime(root, "in_progress_at", state == null, created + 1);
    putTime(root, "completed_at", now == FakeBatchJobs.State.COMPLETED, ended);
    putTime(root, "failed_at", now == FakeBatchJobs.State.FAILED, ended);
    putTime(root, "expired_at", now == FakeBatchJobs.State.EXPIRED, ended);
    putTime(root, "cancelled_at", now == FakeBatchJobs.State.CANCELLED, ended);
    long answered =
        job.finishedLines().stream().filter(line -> job.lineError(line).isEmpty()).count();
    long failed = job.finishedLines().size() - answered;
    // A failed job ran no line, so it has no files; a running one has none yet.
    boolean hasFiles = now != FakeBatchJobs.State.RUNNING && now != FakeBatchJobs.State.FAILED;
    boolean unreached = hasFiles && job.finishedLines().size() < job.lines().size();
    root.put("output_file_id", hasFiles && answered > 0 ? OUTPUT_PREFIX + job.id() : null);
    root.put(
        "error_file_id", hasFiles && (failed > 0 || unreached) ? ERROR_PREFIX + job.id() : null);
    if (job.message() != null) {
      ObjectNode errors = root.putObject("errors");
      errors.put("object", "list");
      ObjectNode datum = errors.putArray("data").addObject();
      datum.put("code", "batch_" + status(now));
      datum.put("message", job.message());
      datum.putNull("param");
      datum.putNull("line");
    } else {
      root.putNull("errors");
    }
    ObjectNode counts = root.putObject("request_counts");
    counts.put("total", job.lines().size());
    counts.put("completed", answered);
    counts.put("failed", failed);
    ObjectNode metadata = root.putObject("metadata");
    if (info != null) {
      info.metadata().forEach(metadata::put);
    }
    return root;
  }

  private static String status(FakeBatchJobs.State state) {
    return switch (state) {
      case RUNNING -> "in_progress";
      case COMPLETED -> "completed";
      case FAILED -> "failed";
      case EXPIRED -> "expired";
      case CANCELLED -> "cancelled";
    };
  }

  private static void putTime(ObjectNode root, String field, boolean set, long value) {
    if (set) {
      root.put(field, value);
    } else {
      root.putNull(field);
    }
  }

  /** An uploaded file's text, or an ended job's output or error file. */
  private Optional<String> content(String fileId) {
    Upload upload = uploads.get(fileId);
    if (upload != null) {
      return Optional.of(upload.content());
    }
    boolean output = fileId.startsWith(OUTPUT_PREFIX);
    boolean error = fileId.startsWith(ERROR_PREFIX);
    if (!output && !error) {
      return Optional.empty();
    }
    String jobId = fileId.substring(output ? OUTPUT_PREFIX.length() : ERROR_PREFIX.length());
    Optional<FakeBatchJobs.Job> found = jobs.job(jobId);
    if (found.isEmpty() || found.get().state() == FakeBatchJobs.State.RUNNING) {
      return Optional.empty();
    }
    FakeBatchJobs.Job job = found.get();
    StringBuilder file = new StringBuilder();
    int index = 0;
    for (FakeBatchJobs.Line line : job.lines()) {
      index++;
      String lineId = "batch_req_" + job.id() + "_" + index;
      Optional<FakeBatchJobs.LineError> lineError = job.lineError(line);
      ObjectNode out;
      if (!job.hasResult(line)) {
        if (!error || job.state() == FakeBatchJobs.State.FAILED) {
          continue;
        }
        out = notReached(lineId, line, job.state());
      } else if (lineError.isPresent()) {
        if (!error) {
          continue;
        }
        out = failed(lineId, line, lineError.get());
      } else {
        if (!output) {
          continue;
        }
        out = answered(lineId, line);
      }
      file.append(out).append('\n');
    }
    return Optional.of(file.toString());
  }

  private ObjectNode answered(String lineId, FakeBatchJobs.Line line) {
    String model = Objects.requireNonNull(readJson(line.body())).path("model").asText();
    ObjectNode root = lineRoot(lineId, line);
    ObjectNode response = root.putObject("response");
    response.put("status_code", 200);
    response.put("request_id", "req-" + lineId);
    response.set("body", readJson(reply.apply(model)));
    root.putNull("error");
    return root;
  }

  private static ObjectNode failed(
      String lineId, FakeBatchJobs.Line line, FakeBatchJobs.LineError lineError) {
    ObjectNode root = lineRoot(lineId, line);
    ObjectNode response = root.putObject("response");
    response.put("status_code", lineError.httpStatus());
    response.put("request_id", "req-" + lineId);
    response.set(
        "body", readJson(AzureOpenAiFakeServer.error(lineError.code(), lineError.message())));
    root.putNull("error");
    return root;
  }

  private static ObjectNode notReached(
      String lineId, FakeBatchJobs.Line line, FakeBatchJobs.State state) {
    ObjectNode root = lineRoot(lineId, line);
    root.putNull("response");
    ObjectNode error = root.putObject("error");
    boolean expired = state == FakeBatchJobs.State.EXPIRED;
    error.put("code", expired ? "batch_expired" : "batch_cancelled");
    error.put(
        "message",
        expired
            ? "This request could not be executed before the completion window expired."
            : "This request was not executed because the batch was cancelled.");
    return root;
  }

  private static ObjectNode lineRoot(String lineId, FakeBatchJobs.Line line) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", lineId);
    root.put("custom_id", line.lineId());
    return root;
  }

  private static ObjectNode file(Upload upload) {
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "file");
    root.put("id", upload.id());
    root.put("bytes", utf8(upload.content()).length);
    root.put("created_at", upload.createdAt());
    root.put("filename", upload.filename());
    root.put("purpose", "batch");
    root.put("status", "processed");
    root.putNull("status_details");
    return root;
  }

  /** The text fields and file contents of a multipart body, by part name ({@code filename} too). */
  private static Map<String, String> multipart(RecordedRequest request) {
    Map<String, String> parts = new java.util.HashMap<>();
    String type = request.header("content-type");
    Matcher boundary = type == null ? null : BOUNDARY.matcher(type);
    if (boundary == null || !boundary.find()) {
      return parts;
    }
    String delimiter = "--" + boundary.group(1);
    for (String part : request.body().split(Pattern.quote(delimiter))) {
      int headersEnd = part.indexOf("\r\n\r\n");
      if (headersEnd < 0) {
        continue;
      }
      String headers = part.substring(0, headersEnd);
      String content = part.substring(headersEnd + 4);
      if (content.endsWith("\r\n")) {
        content = content.substring(0, content.length() - 2);
      }
      Matcher name = PART_NAME.matcher(headers);
      if (name.find()) {
        parts.put(name.group(1), content);
      }
      Matcher filename = FILE_NAME.matcher(headers);
      if (filename.find()) {
        parts.put("filename", filename.group(1));
      }
    }
    return parts;
  }

  private static String queryParam(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException notJson) {
      return null;
    }
  }

  private static void badRequest(FakeExchange exchange, String code, String message)
      throws IOException {
    exchange.sendJson(400, AzureOpenAiFakeServer.error(code, message));
  }

  private static void notFound(FakeExchange exchange) throws IOException {
    exchange.sendJson(404, AzureOpenAiFakeServer.error("404", "Resource not found"));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
