package io.aibroker.connector.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.connector.Connector;
import io.aibroker.connector.testing.FakeBatchJobs;
import io.aibroker.connector.testing.FakeExchange;
import io.aibroker.connector.testing.FakeProviderServer;
import io.aibroker.connector.testing.FakeReplies;
import io.aibroker.connector.testing.FakeScenario;
import io.aibroker.connector.testing.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;

/**
 * Bedrock batch inference on localhost: the control plane's model invocation jobs ({@code POST
 * /model-invocation-job}, {@code GET /model-invocation-job/{arn}}, {@code GET
 * /model-invocation-jobs?nameContains=}, {@code POST /model-invocation-job/{arn}/stop}) and a
 * path-style S3 ({@code PUT} and {@code GET /{bucket}/{key}}) on one port, so one URI serves as
 * both endpoint overrides. It ignores signatures and tokens alike.
 *
 * <p>Jobs live in a {@link FakeBatchJobs} keyed by {@code clientRequestToken}: a create repeating a
 * token returns the job created first, as Bedrock does, and is counted by {@link #createRequests()}
 * but not by {@link FakeBatchJobs#creates()}. Each status query advances the job; once it ended,
 * its output file is written where Bedrock writes it ({@code <output uri><job id>/<input
 * file>.out}, plus {@code manifest.json.out}), each finished line answered in the model's native
 * reply format (Claude Messages, Nova, Llama) or with its scripted error.
 */
public final class BedrockBatchFakeServer extends FakeProviderServer {

  /** The ARNs of the fake's jobs start with this; the job id follows. */
  public static final String JOB_ARN_PREFIX =
      "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/fake";

  /** A role ARN the fake accepts. */
  public static final String ROLE_ARN = "arn:aws:iam::123456789012:role/bedrock-batch";

  /** The bucket of {@link #batchConfig()}. */
  public static final String BUCKET = "aibroker-batch";

  /** Input tokens the fake reports for each answered line (uncached). */
  static final int INPUT_TOKENS = 12;

  /** Output tokens the fake reports for each answered line. */
  static final int OUTPUT_TOKENS = 5;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String JOB_PATH = "/model-invocation-job";
  private static final String JOBS_PATH = "/model-invocation-jobs";
  private static final Pattern JOB_NAME =
      Pattern.compile("[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9+\\-.]){0,63}");

  /**
   * Holds the SDK's shared Netty event loop for the whole test run, as {@link BedrockFakeServer}
   * does: otherwise closing a test's last client shuts it down with a 2-second quiet period.
   */
  @SuppressWarnings("unused")
  private static final SdkAsyncHttpClient KEEPS_SHARED_EVENT_LOOP =
      NettyNioAsyncHttpClient.create();

  private final FakeBatchJobs jobs = new FakeBatchJobs(JOB_ARN_PREFIX);
  private final Map<String, JobInfo> infos = new ConcurrentHashMap<>();
  private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
  private final AtomicInteger createRequests = new AtomicInteger();

  /** What the create said about a job, to report it back. */
  private record JobInfo(
      String jobName,
      String token,
      String modelId,
      String roleArn,
      String inputUri,
      String outputUri,
      int timeoutHours,
      Instant submitted) {}

  private record StoredObject(byte[] body, String contentType, Map<String, String> checksums) {}

  /** Starts the fake on a free port of 127.0.0.1. */
  public BedrockBatchFakeServer() throws IOException {
    super();
  }

  /** The fake's job bookkeeping: scripts, jobs and creates. */
  public FakeBatchJobs batchJobs() {
    return jobs;
  }

  /** Every create received, repeats of a token included. */
  public int createRequests() {
    return createRequests.get();
  }

  /** Batch settings pointing both endpoints at this fake, with files in {@link #BUCKET}. */
  public BedrockBatchConfig batchConfig() {
    return new BedrockBatchConfig(
        baseUri(),
        baseUri(),
        "s3://" + BUCKET + "/input/",
        "s3://" + BUCKET + "/output/",
        ROLE_ARN,
        null);
  }

  /**
   * A Bedrock connector with batch against this fake, for tests in other modules: real-time calls
   * go to {@code runtimeEndpoint} (a {@link BedrockFakeServer}, or null for none), Bedrock calls
   * carry a dummy API key and S3 requests dummy SigV4 keys.
   */
  public Connector connector(URI runtimeEndpoint, Duration requestTimeout, Clock clock) {
    return connector(runtimeEndpoint, "fake-key", requestTimeout, clock);
  }

  /** As {@link #connector(URI, Duration, Clock)}, with the API key {@code apiKey}. */
  Connector connector(URI runtimeEndpoint, String apiKey, Duration requestTimeout, Clock clock) {
    BedrockConfig config =
        new BedrockConfig(
            "us-east-1", runtimeEndpoint, apiKey, null, requestTimeout, 0, batchConfig());
    return new BedrockConnector(
        config,
        clock,
        BedrockCredentials.apiKey(
            apiKey,
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDFAKEBATCH", "fake-s3-secret"))));
  }

  /** The bytes of the object at {@code s3Uri} ({@code s3://bucket/key}), if there is one. */
  public Optional<byte[]> object(String s3Uri) {
    URI uri = URI.create(s3Uri);
    return Optional.ofNullable(objects.get(uri.getHost() + uri.getPath())).map(StoredObject::body);
  }

  @Override
  protected void respond(FakeScenario scenario, RecordedRequest request, FakeExchange exchange)
      throws IOException {
    boolean controlPlane = request.path().startsWith(JOB_PATH);
    if (scenario != FakeScenario.SUCCESS) {
      fault(scenario, controlPlane, exchange);
      return;
    }
    if (controlPlane) {
      controlPlane(request, exchange);
    } else {
      s3(request, exchange);
    }
  }

  // ---------------------------------------------------------------- control plane

  private void controlPlane(RecordedRequest request, FakeExchange exchange) throws IOException {
    String path = request.path();
    String method = request.method();
    if (method.equals("POST") && path.equals(JOB_PATH)) {
      create(request, exchange);
    } else if (method.equals("GET") && path.equals(JOBS_PATH)) {
      list(request, exchange);
    } else if (method.equals("POST") && path.startsWith(JOB_PATH + "/") && path.endsWith("/stop")) {
      String arn = path.substring(JOB_PATH.length() + 1, path.length() - "/stop".length());
      Optional<FakeBatchJobs.Job> job = jobs.job(arn);
      if (job.isEmpty()) {
        notFound(exchange, arn);
        return;
      }
      job.get().cancel();
      exchange.sendJson(200, "{}");
    } else if (method.equals("GET") && path.startsWith(JOB_PATH + "/")) {
      String arn = path.substring(JOB_PATH.length() + 1);
      Optional<FakeBatchJobs.Job> job = jobs.job(arn);
      if (job.isEmpty()) {
        notFound(exchange, arn);
        return;
      }
      job.get().poll();
      exchange.sendJson(200, describe(job.get(), false).toString());
    } else {
      error(
          exchange, 404, "UnknownOperationException", "no such operation: " + method + " " + path);
    }
  }

  private void create(RecordedRequest request, FakeExchange exchange) throws IOException {
    createRequests.incrementAndGet();
    JsonNode body = JSON.readTree(request.body());
    String token = body.path("clientRequestToken").asText(null);
    String jobName = body.path("jobName").asText("");
    String inputUri =
        body.path("inputDataConfig").path("s3InputDataConfig").path("s3Uri").asText("");
    String outputUri =
        body.path("outputDataConfig").path("s3OutputDataConfig").path("s3Uri").asText("");
    int timeoutHours = body.path("timeoutDurationInHours").asInt(24);
    String invalid =
        jobName.length() > 63 || !JOB_NAME.matcher(jobName).matches()
            ? "jobName does not satisfy the constraints"
            : !body.path("roleArn").asText("").startsWith("arn:aws:iam::")
                ? "roleArn is invalid"
                : body.path("modelId").asText("").isEmpty()
                    ? "modelId is required"
                    : timeoutHours < 24 || timeoutHours > 168
                        ? "timeoutDurationInHours must be 24 to 168"
                        : !"JSONL"
                                .equals(
                                    body.path("inputDataConfig")
                                        .path("s3InputDataConfig")
                                        .path("s3InputFormat")
                                        .asText("JSONL"))
                            ? "s3InputFormat must be JSONL"
                            : !outputUri.startsWith("s3://") ? "output s3Uri is invalid" : null;
    if (invalid != null) {
      error(exchange, 400, "ValidationException", invalid);
      return;
    }
    if (token != null) {
      Optional<FakeBatchJobs.Job> existing = jobs.byKey(token);
      if (existing.isPresent()) {
        // Idempotent: the token names the job created first.
        exchange.sendJson(
            200, JSON.createObjectNode().put("jobArn", existing.get().id()).toString());
        return;
      }
    }
    Optional<StoredObject> input = Optional.ofNullable(objects.get(s3Key(inputUri)));
    if (input.isEmpty()) {
      error(exchange, 400, "ValidationException", "input file not found: " + inputUri);
      return;
    }
    List<FakeBatchJobs.Line> lines = lines(input.get().body());
    FakeBatchJobs.Job job = jobs.create(token, lines);
    infos.put(
        job.id(),
        new JobInfo(
            jobName,
            token,
            body.path("modelId").asText(),
            body.path("roleArn").asText(),
            inputUri,
            outputUri,
            timeoutHours,
            Instant.now()));
    exchange.sendJson(200, JSON.createObjectNode().put("jobArn", job.id()).toString());
  }

  private static List<FakeBatchJobs.Line> lines(byte[] file) throws IOException {
    List<FakeBatchJobs.Line> lines = new java.util.ArrayList<>();
    for (String line : new String(file, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        JsonNode record = JSON.readTree(line);
        lines.add(
            new FakeBatchJobs.Line(
                record.path("recordId").asText(), record.path("modelInput").toString()));
      }
    }
    return lines;
  }

  private void list(RecordedRequest request, FakeExchange exchange) throws IOException {
    String nameContains = query(request).getOrDefault("nameContains", "");
    ObjectNode reply = JSON.createObjectNode();
    ArrayNode summaries = reply.putArray("invocationJobSummaries");
    for (FakeBatchJobs.Job job : jobs.jobs()) {
      JobInfo info = infos.get(job.id());
      if (info != null && info.jobName().contains(nameContains)) {
        summaries.add(describe(job, true));
      }
    }
    exchange.sendJson(200, reply.toString());
  }

  /**
   * The job as GetModelInvocationJob (or a list summary) reports it; writes its output once ended.
   */
  private ObjectNode describe(FakeBatchJobs.Job job, boolean summary) {
    JobInfo info = infos.get(job.id());
    FakeBatchJobs.State state = job.state();
    if (state != FakeBatchJobs.State.RUNNING) {
      writeOutput(job, info);
    }
    ObjectNode reply = JSON.createObjectNode();
    reply.put("jobArn", job.id());
    reply.put("jobName", info.jobName());
    reply.put("modelId", info.modelId());
    if (info.token() != null) {
      reply.put("clientRequestToken", info.token());
    }
    reply.put("roleArn", info.roleArn());
    reply.put("status", status(job));
    if (job.message() != null) {
      reply.put("message", job.message());
    }
    reply.put("submitTime", info.submitted().toString());
    reply.put("lastModifiedTime", Instant.now().toString());
    if (state != FakeBatchJobs.State.RUNNING) {
      reply.put("endTime", Instant.now().toString());
    }
    reply
        .putObject("inputDataConfig")
        .putObject("s3InputDataConfig")
        .put("s3InputFormat", "JSONL")
        .put("s3Uri", info.inputUri());
    reply
        .putObject("outputDataConfig")
        .putObject("s3OutputDataConfig")
        .put("s3Uri", info.outputUri());
    reply.put("timeoutDurationInHours", info.timeoutHours());
    reply.put(
        "jobExpirationTime",
        info.submitted().plus(Duration.ofHours(info.timeoutHours())).toString());
    if (!summary) {
      reply.put("modelInvocationType", "InvokeModel");
    }
    return reply;
  }

  private static String status(FakeBatchJobs.Job job) {
    return switch (job.state()) {
      case RUNNING -> "InProgress";
      case COMPLETED ->
          job.lines().stream().anyMatch(line -> job.lineError(line).isPresent())
              ? "PartiallyCompleted"
              : "Completed";
      case FAILED -> "Failed";
      case EXPIRED -> "Expired";
      case CANCELLED -> "Stopped";
    };
  }

  /** Writes the job's output file and manifest, once. */
  private void writeOutput(FakeBatchJobs.Job job, JobInfo info) {
    String inputName = info.inputUri().substring(info.inputUri().lastIndexOf('/') + 1);
    String folder = prefix(info.outputUri()) + BedrockBatchApi.jobId(job.id()) + "/";
    String outKey = s3Key(folder + inputName + ".out");
    if (objects.containsKey(outKey) || job.state() == FakeBatchJobs.State.FAILED) {
      return;
    }
    StringBuilder out = new StringBuilder();
    int errors = 0;
    for (FakeBatchJobs.Line line : job.finishedLines()) {
      ObjectNode record = JSON.createObjectNode();
      record.put("recordId", line.lineId());
      try {
        record.set("modelInput", JSON.readTree(line.body()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      Optional<FakeBatchJobs.LineError> error = job.lineError(line);
      if (error.isPresent()) {
        errors++;
        record
            .putObject("error")
            .put("errorCode", error.get().httpStatus())
            .put("errorMessage", error.get().message());
      } else {
        record.set("modelOutput", modelOutput(info.modelId()));
      }
      out.append(record).append('\n');
    }
    int finished = job.finishedLines().size();
    ObjectNode manifest =
        JSON.createObjectNode()
            .put("totalRecordCount", job.lines().size())
            .put("processedRecordCount", finished)
            .put("successRecordCount", finished - errors)
            .put("errorRecordCount", errors)
            .put("inputTokenCount", (long) (finished - errors) * INPUT_TOKENS)
            .put("outputTokenCount", (long) (finished - errors) * OUTPUT_TOKENS);
    objects.put(
        s3Key(folder + "manifest.json.out"),
        new StoredObject(utf8(manifest.toString()), "application/json", Map.of()));
    objects.put(
        outKey, new StoredObject(utf8(out.toString()), "application/octet-stream", Map.of()));
  }

  /** A reply in the model's native format, with usage. */
  private static ObjectNode modelOutput(String modelId) {
    String text = FakeReplies.SUCCESS_TEXT;
    ObjectNode output = JSON.createObjectNode();
    String model = modelId.toLowerCase(Locale.ROOT);
    if (model.contains("amazon.nova")) {
      output
          .putObject("output")
          .putObject("message")
          .put("role", "assistant")
          .putArray("content")
          .addObject()
          .put("text", text);
      output.put("stopReason", "end_turn");
      output
          .putObject("usage")
          .put("inputTokens", INPUT_TOKENS)
          .put("outputTokens", OUTPUT_TOKENS)
          .put("totalTokens", INPUT_TOKENS + OUTPUT_TOKENS);
    } else if (model.contains("meta.llama")) {
      output.put("generation", text);
      output.put("prompt_token_count", INPUT_TOKENS);
      output.put("generation_token_count", OUTPUT_TOKENS);
      output.put("stop_reason", "stop");
    } else {
      output.put("id", "msg_bdrk_fake");
      output.put("type", "message");
      output.put("role", "assistant");
      output.put("model", "claude-fake");
      output.putArray("content").addObject().put("type", "text").put("text", text);
      output.put("stop_reason", "end_turn");
      output.putNull("stop_sequence");
      output
          .putObject("usage")
          .put("input_tokens", INPUT_TOKENS)
          .put("output_tokens", OUTPUT_TOKENS)
          .put("cache_read_input_tokens", 0)
          .put("cache_creation_input_tokens", 0);
    }
    return output;
  }

  private void notFound(FakeExchange exchange, String arn) throws IOException {
    error(exchange, 404, "ResourceNotFoundException", "no model invocation job " + arn);
  }

  /** Bedrock's error shape: {@code x-amzn-ErrorType} and {@code {"message": ...}}. */
  private static void error(FakeExchange exchange, int status, String code, String message)
      throws IOException {
    Map<String, String> headers = new HashMap<>();
    headers.put("x-amzn-ErrorType", code + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    headers.put("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000");
    exchange.sendJson(status, headers, JSON.createObjectNode().put("message", message).toString());
  }

  // ---------------------------------------------------------------- S3

  private void s3(RecordedRequest request, FakeExchange exchange) throws IOException {
    String key = request.path().substring(1);
    if (key.indexOf('/') <= 0) {
      s3Error(exchange, 400, "InvalidRequest", "path-style /{bucket}/{key} only", key);
      return;
    }
    switch (request.method()) {
      case "PUT" -> {
        StoredObject stored = put(request);
        objects.put(key, stored);
        Map<String, String> headers = new HashMap<>(stored.checksums());
        headers.put("ETag", etag(stored.body()));
        exchange.send(200, null, headers, new byte[0]);
      }
      case "GET", "HEAD" -> {
        StoredObject stored = objects.get(key);
        if (stored == null) {
          s3Error(exchange, 404, "NoSuchKey", "The specified key does not exist.", key);
          return;
        }
        Map<String, String> headers = new HashMap<>();
        headers.put("ETag", etag(stored.body()));
        headers.put("Last-Modified", "Mon, 07 Dec 2026 00:00:00 GMT");
        // As S3 does: the checksum stored with the object, only when asked for.
        if ("ENABLED".equalsIgnoreCase(request.header("x-amz-checksum-mode"))) {
          headers.putAll(stored.checksums());
        }
        exchange.send(
            200,
            stored.contentType(),
            headers,
            request.method().equals("HEAD") ? new byte[0] : stored.body());
      }
      default -> s3Error(exchange, 405, "MethodNotAllowed", "not supported by the fake", key);
    }
  }

  /**
   * The uploaded object. The SDK signs plain-HTTP uploads chunk by chunk ({@code aws-chunked},
   * {@code STREAMING-...} payload hash) and may send its checksum as a trailer; both are undone
   * here, and the checksum kept to report back.
   */
  private static StoredObject put(RecordedRequest request) {
    Map<String, String> checksums = new HashMap<>();
    request
        .headers()
        .forEach(
            (name, values) -> {
              if (name.startsWith("x-amz-checksum-") && !name.equals("x-amz-checksum-algorithm")) {
                checksums.put(name, values.get(0));
              }
            });
    byte[] raw = request.body().getBytes(StandardCharsets.UTF_8);
    String encoding = request.header("content-encoding");
    String payloadHash = request.header("x-amz-content-sha256");
    boolean chunked =
        (encoding != null && encoding.contains("aws-chunked"))
            || (payloadHash != null && payloadHash.startsWith("STREAMING-"));
    byte[] body = chunked ? decodeAwsChunked(raw, checksums) : raw;
    String contentType = request.header("content-type");
    return new StoredObject(
        body,
        contentType == null ? "application/octet-stream" : contentType,
        Map.copyOf(checksums));
  }

  /** {@code <hex size>[;chunk-signature=...]\r\n<bytes>\r\n ... 0...\r\n<trailers>\r\n\r\n}. */
  static byte[] decodeAwsChunked(byte[] raw, Map<String, String> trailers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
    int pos = 0;
    while (pos < raw.length) {
      int lineEnd = indexOfCrlf(raw, pos);
      String header = new String(raw, pos, lineEnd - pos, StandardCharsets.US_ASCII);
      int semicolon = header.indexOf(';');
      int size =
          Integer.parseInt((semicolon < 0 ? header : header.substring(0, semicolon)).strip(), 16);
      pos = lineEnd + 2;
      if (size == 0) {
        // trailers, one per line, until an empty line
        while (pos < raw.length) {
          int end = indexOfCrlf(raw, pos);
          String trailer = new String(raw, pos, end - pos, StandardCharsets.US_ASCII);
          pos = end + 2;
          int colon = trailer.indexOf(':');
          if (colon > 0 && trailer.startsWith("x-amz-checksum-")) {
            trailers.put(trailer.substring(0, colon).strip(), trailer.substring(colon + 1).strip());
          }
          if (trailer.isEmpty()) {
            break;
          }
        }
        break;
      }
      out.write(raw, pos, size);
      pos += size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOfCrlf(byte[] raw, int from) {
    for (int i = from; i + 1 < raw.length; i++) {
      if (raw[i] == '\r' && raw[i + 1] == '\n') {
        return i;
      }
    }
    return raw.length;
  }

  private static void s3Error(
      FakeExchange exchange, int status, String code, String message, String key)
      throws IOException {
    String xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
            + code
            + "</Code><Message>"
            + message
            + "</Message><Key>"
            + key
            + "</Key><RequestId>FAKE</RequestId></Error>";
    exchange.send(status, "application/xml", Map.of(), utf8(xml));
  }

  private static String etag(byte[] body) {
    try {
      return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- faults

  private static void fault(FakeScenario scenario, boolean controlPlane, FakeExchange exchange)
      throws IOException {
    if (!controlPlane) {
      switch (scenario) {
        case RATE_LIMITED ->
            s3Error(exchange, 503, "SlowDown", "Please reduce your request rate.", "");
        case UNAUTHORIZED, FORBIDDEN -> s3Error(exchange, 403, "AccessDenied", "Access Denied", "");
        case BAD_REQUEST -> s3Error(exchange, 400, "InvalidRequest", "Bad request", "");
        default -> s3Error(exchange, 500, "InternalError", "We encountered an internal error.", "");
      }
      return;
    }
    switch (scenario) {
      case RATE_LIMITED -> error(exchange, 429, "ThrottlingException", "Too many requests.");
      case BAD_REQUEST -> error(exchange, 400, "ValidationException", "The request is invalid.");
      case UNAUTHORIZED ->
          error(exchange, 403, "UnrecognizedClientException", "The security token is invalid.");
      case FORBIDDEN -> error(exchange, 403, "AccessDeniedException", "Access denied.");
      case MALFORMED_BODY -> exchange.sendJson(200, "{\"jobArn\": \"arn:aws:bed");
      default -> error(exchange, 500, "InternalServerException", "Internal failure.");
    }
  }

  // ---------------------------------------------------------------- helpers

  private static Map<String, String> query(RecordedRequest request) {
    Map<String, String> query = new HashMap<>();
    if (request.query() == null) {
      return query;
    }
    for (String pair : request.query().split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.put(
          java.net.URLDecoder.decode(name, StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }

  /** {@code s3://bucket/key} as the fake's object key {@code bucket/key}. */
  private static String s3Key(String s3Uri) {
    return s3Uri.startsWith("s3://") ? s3Uri.substring("s3://".length()) : s3Uri;
  }

  private static String prefix(String s3Uri) {
    return s3Uri.endsWith("/") ? s3Uri : s3Uri + "/";
  }
}
