package io.aibroker.app.badinput;

import static io.aibroker.records.ReasonCode.DEADLINE;
import static io.aibroker.records.ReasonCode.INVALID_REQUEST;
import static io.aibroker.records.ReasonCode.PAYLOAD_TOO_LARGE;
import static io.aibroker.records.ReasonCode.UNKNOWN_MODEL;
import static io.aibroker.records.ResultStatus.REJECTED;
import static io.aibroker.records.ResultStatus.SUCCEEDED;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.aibroker.records.CacheOptions;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Route;
import io.aibroker.records.Task;
import io.aibroker.records.UsageEvent;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The bad-input corpus: every kind of hostile or broken record aibroker's ingress (and its outcomes
 * and tenants topics) may receive, with the end each must reach. Java and kcat records are built
 * here; the Python client's records are built by {@code badinput/bad_input_corpus.py} and only
 * declared here.
 */
final class BadInputCorpus {

  /** Tenant of the corpus's Avro-valid requests. */
  static final String TENANT = "corpus";

  /** The prompt limit (broker.limits.max-prompt-bytes default). */
  static final int PROMPT_LIMIT = 1 << 20;

  private final RecordSerdes serdes;
  private final Topics topics;
  private final Instant now = Instant.now();
  private final Random random = new Random(7);

  BadInputCorpus(RecordSerdes serdes, Topics topics) {
    this.serdes = serdes;
    this.topics = topics;
  }

  // ---- Java: KafkaProducer with raw byte[] ------------------------------------------------------

  List<CorpusCase> javaCases() {
    List<CorpusCase> cases = new ArrayList<>();
    String requests = topics.requests();
    cases.add(raw("java-tombstone", "null value (tombstone)", null, dlq("tombstone")));
    cases.add(raw("java-empty-value", "empty value (0 bytes)", new byte[0], dlq("Exception")));
    cases.add(raw("java-random-bytes", "1 KiB of random bytes", randomBytes(1024), dlq("")));
    cases.add(raw("java-one-zero-byte", "a lone magic byte", new byte[] {0}, dlq("")));
    byte[] valid = bytes(request("java-wrong-magic").build());
    byte[] wrongMagic = valid.clone();
    wrongMagic[0] = 1;
    cases.add(raw("java-wrong-magic", "wrong magic byte (1)", wrongMagic, dlq("magic")));
    byte[] unknownId = bytes(request("java-unknown-schema-id").build());
    unknownId[1] = 0x0f;
    unknownId[2] = 0x42;
    cases.add(raw("java-unknown-schema-id", "unknown schema id", unknownId, dlq("schema")));
    byte[] whole = bytes(request("java-truncated-avro").build());
    cases.add(
        raw(
            "java-truncated-avro",
            "Avro body cut in half",
            Arrays.copyOf(whole, whole.length / 2),
            dlq("")));
    byte[] trailing = bytes(request("java-trailing-bytes").build());
    cases.add(
        raw(
            "java-trailing-bytes",
            "valid record followed by 8 garbage bytes (decoded like Confluent's deserializer does)",
            concat(trailing, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
            succeeded()));
    cases.add(
        raw(
            "java-wrong-schema",
            "a valid UsageEvent (wrong schema) on the requests topic",
            usageEventBytes(),
            dlq("")));
    cases.add(
        raw(
            "java-negative-string-length",
            "negative string length",
            crafted(valid, e -> writeRaw(e, idPrefix("java-negative-string-length"), 1)),
            dlq("")));
    cases.add(
        raw(
            "java-huge-array-count",
            "array claiming 2^40 messages in a few bytes",
            crafted(
                valid,
                e -> {
                  try {
                    e.writeString("java-huge-array-count");
                    e.writeString(TENANT);
                    e.writeIndex(0);
                    e.writeIndex(0);
                    e.writeEnum(0);
                    e.writeString("chat-default");
                    e.writeArrayStart();
                    e.setItemCount(1L << 40);
                    e.startItem();
                    e.writeString("user");
                  } catch (IOException x) {
                    throw new UncheckedIOException(x);
                  }
                }),
            dlq("")));
    cases.add(
        raw(
            "java-overflowing-varint",
            "enum index as an overflowing 6-byte varint",
            crafted(
                valid,
                e ->
                    writeRaw(
                        e,
                        idPrefix("java-overflowing-varint"),
                        0xff,
                        0xff,
                        0xff,
                        0xff,
                        0xff,
                        0x01)),
            dlq("")));
    cases.add(
        raw(
            "java-enum-out-of-range",
            "enum index 7 of a 2-symbol enum",
            crafted(valid, e -> writeRaw(e, idPrefix("java-enum-out-of-range"), 14)),
            dlq("")));
    cases.add(
        raw(
            "java-invalid-utf8-prompt",
            "invalid UTF-8 in a prompt",
            invalidUtf8(request("java-invalid-utf8-prompt").setMessages(List.of(user("x@@y")))),
            dlq("UTF-8")));
    cases.add(
        raw(
            "java-invalid-utf8-tenant",
            "invalid UTF-8 in the tenant id",
            invalidUtf8(request("java-invalid-utf8-tenant").setTenantId("t@@")),
            dlq("UTF-8")));

    // Avro-valid requests with bad field values: REJECTED with a reason.
    cases.add(
        avro(
            "java-negative-max-tokens",
            "maxTokens = Integer.MIN_VALUE",
            request("java-negative-max-tokens").setParams(params(Integer.MIN_VALUE, null, null)),
            rejected(INVALID_REQUEST, "maxTokens")));
    cases.add(
        avro(
            "java-nan-top-p",
            "topP = NaN",
            request("java-nan-top-p").setParams(params(null, null, Double.NaN)),
            rejected(INVALID_REQUEST, "topP")));
    cases.add(
        avro(
            "java-negative-temperature",
            "temperature = -1e308",
            request("java-negative-temperature").setParams(params(null, -1e308, null)),
            rejected(INVALID_REQUEST, "temperature")));
    cases.add(
        avro(
            "java-negative-cache-ttl",
            "cache.ttlSeconds = -5",
            request("java-negative-cache-ttl")
                .setCache(CacheOptions.newBuilder().setTtlSeconds(-5).build()),
            rejected(INVALID_REQUEST, "ttlSeconds")));
    cases.add(
        avro(
            "java-deadline-past",
            "deadline an hour ago",
            request("java-deadline-past").setDeadline(now.minusSeconds(3600)),
            rejected(DEADLINE, "already passed")));
    cases.add(
        avro(
            "java-deadline-min",
            "deadline = Long.MIN_VALUE ms",
            request("java-deadline-min").setDeadline(Instant.ofEpochMilli(Long.MIN_VALUE)),
            rejected(DEADLINE, "already passed")));
    cases.add(
        avro(
            "java-deadline-far-future",
            "deadline = Long.MAX_VALUE ms (harmless: no overflow)",
            request("java-deadline-far-future").setDeadline(Instant.ofEpochMilli(Long.MAX_VALUE)),
            succeeded()));
    cases.add(
        avro(
            "java-created-at-min",
            "createdAt = Long.MIN_VALUE ms (timings must not overflow)",
            request("java-created-at-min").setCreatedAt(Instant.ofEpochMilli(Long.MIN_VALUE)),
            succeeded()));
    List<ChatMessage> many = new ArrayList<>(100_000);
    for (int i = 0; i < 100_000; i++) {
      many.add(new ChatMessage("u", "", null));
    }
    cases.add(
        avro(
            "java-100000-messages",
            "100,000 chat messages",
            request("java-100000-messages").setMessages(many),
            rejected(PAYLOAD_TOO_LARGE, "100000 messages")));
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      inputs.add("i");
    }
    cases.add(
        avro(
            "java-3000-inputs",
            "3,000 embedding inputs",
            request("java-3000-inputs")
                .setTask(Task.EMBED)
                .setModel("embed-default")
                .setMessages(List.of())
                .setInputs(inputs),
            rejected(PAYLOAD_TOO_LARGE, "3000 inputs")));
    cases.add(
        avro(
            "java-prompt-over-limit",
            "1.5 MiB prompt (topic limit raised to 4 MiB)",
            request("java-prompt-over-limit").setMessages(List.of(user("p".repeat(3 << 19)))),
            rejected(PAYLOAD_TOO_LARGE, "at most " + PROMPT_LIMIT)));
    cases.add(
        avro(
            "java-prompt-at-limit",
            "prompt of exactly 1 MiB (the limit)",
            request("java-prompt-at-limit").setMessages(List.of(user("q".repeat(PROMPT_LIMIT)))),
            succeeded()));
    cases.add(
        avro(
            "java-no-messages",
            "CHAT request without messages",
            request("java-no-messages").setMessages(List.of()),
            rejected(INVALID_REQUEST, "at least one message")));
    cases.add(
        avro(
            "java-blank-role",
            "message with a blank role",
            request("java-blank-role").setMessages(List.of(new ChatMessage(" ", "hi", null))),
            rejected(INVALID_REQUEST, "role")));
    cases.add(
        avro(
            "java-wrong-task",
            "EMBED request for a chat model",
            request("java-wrong-task").setTask(Task.EMBED).setInputs(List.of("x")),
            rejected(INVALID_REQUEST, "serves CHAT")));
    cases.add(
        avro(
            "java-unknown-model",
            "unknown model",
            request("java-unknown-model").setModel("../../etc/passwd"),
            rejected(UNKNOWN_MODEL, "unknown model")));
    cases.add(
        avro(
            "java-10000-char-request-id",
            "10,000-character requestId",
            request("java-10000-char-request-id").setRequestId("r".repeat(10_000)),
            rejected(INVALID_REQUEST, "requestId is 10000 characters")));
    cases.add(
        avro(
            "java-missing-tenant",
            "empty tenantId",
            request("java-missing-tenant").setTenantId(""),
            rejected(INVALID_REQUEST, "tenantId is required")));
    cases.add(
        avro(
            "java-jndi-request-id",
            "log4j ${jndi:...} in requestId",
            request("java-jndi-request-id").setRequestId("${jndi:ldap://127.0.0.1:1389/a}"),
            rejected(INVALID_REQUEST, "requestId may only contain")));
    cases.add(
        avro(
            "java-crlf-idempotency-key",
            "CRLF log injection in idempotencyKey",
            request("java-crlf-idempotency-key")
                .setIdempotencyKey("k\r\n2026-01-01 INFO forged log line"),
            rejected(INVALID_REQUEST, "idempotencyKey may only contain")));
    cases.add(
        avro(
            "java-path-traversal-request-id",
            "../ path traversal in requestId (ids are never paths)",
            request("java-path-traversal-request-id").setRequestId("../../../tmp/aibroker-pwned"),
            succeeded()));
    Map<String, String> hostileTags = new LinkedHashMap<>();
    hostileTags.put("sql", "'; DROP TABLE usage; --");
    hostileTags.put("shell", "$(touch /tmp/aibroker-pwned)`id`");
    hostileTags.put("jndi", "${jndi:ldap://127.0.0.1:1389/a}");
    hostileTags.put("crlf", "a\r\nb");
    hostileTags.put("json", "\"},{\"tenantId\":\"victim\"");
    hostileTags.put("path", "../../etc/passwd");
    cases.add(
        avro(
            "java-injection-tags",
            "SQL/shell/jndi/CRLF/JSON/../ strings in tags (kept verbatim, never interpreted)",
            request("java-injection-tags").setTags(hostileTags),
            succeeded()));
    Map<String, String> hugeTags = new LinkedHashMap<>();
    for (int i = 0; i < 10_000; i++) {
      hugeTags.put("tag-" + i, "value-" + i);
    }
    cases.add(
        avro(
            "java-huge-tags",
            "tags map of 10,000 entries",
            request("java-huge-tags").setTags(hugeTags),
            rejected(PAYLOAD_TOO_LARGE, "tags and metadata")));
    cases.add(
        avro(
            "java-reply-to-missing",
            "replyTo a topic that does not exist",
            request("java-reply-to-missing")
                .setReplyTo("aibroker.replies.nobody-" + now.toEpochMilli()),
            rejected(INVALID_REQUEST, "does not exist")));
    cases.add(
        avro(
            "java-reply-to-tenants",
            "replyTo aibroker.tenants (an internal topic)",
            request("java-reply-to-tenants").setReplyTo(topics.tenants()),
            rejected(INVALID_REQUEST, "internal topic")));
    cases.add(
        avro(
            "java-reply-to-changelog",
            "replyTo the broker's Streams changelog",
            request("java-reply-to-changelog")
                .setReplyTo("aibroker-broker-aibroker.store.in-flight-changelog"),
            rejected(INVALID_REQUEST, "internal topic")));
    cases.add(
        avro(
            "java-reply-to-offsets",
            "replyTo __consumer_offsets",
            request("java-reply-to-offsets").setReplyTo("__consumer_offsets"),
            rejected(INVALID_REQUEST, "internal topic")));
    cases.add(
        avro(
            "java-reply-to-bad-name",
            "replyTo ../../x (not a topic name)",
            request("java-reply-to-bad-name").setReplyTo("../../x"),
            rejected(INVALID_REQUEST, "not a valid topic name")));
    cases.add(
        CorpusCase.of(
            "java-binary-key",
            "random binary key (the broker re-keys by tenant)",
            Sender.JAVA,
            requests,
            randomBytes(16),
            bytes(request("java-binary-key").build()),
            succeeded()));
    cases.add(
        CorpusCase.of(
            "java-other-tenant-key",
            "key naming another tenant",
            Sender.JAVA,
            requests,
            "victim".getBytes(UTF_8),
            bytes(request("java-other-tenant-key").build()),
            succeeded()));
    byte[] redelivered = bytes(request("java-redelivered").build());
    cases.add(
        new CorpusCase(
            "java-redelivered",
            "the same record twice (a producer retry): one result",
            Sender.JAVA,
            List.of(
                new CorpusCase.Send(requests, TENANT.getBytes(UTF_8), redelivered),
                new CorpusCase.Send(requests, TENANT.getBytes(UTF_8), redelivered)),
            succeeded()));
    // Same requestId, other content: the first is answered, the second is a dead letter (matched
    // by its corpus-case metadata in the result, by key in the DLQ).
    String dupTenant = "corpus-dup";
    InferenceRequest first =
        request("java-duplicate-id-first").setRequestId("dup-1").setTenantId(dupTenant).build();
    InferenceRequest second =
        InferenceRequest.newBuilder(first)
            .setMessages(List.of(user("a different prompt")))
            .setMetadata(Map.of("corpus-case", "java-duplicate-id-second"))
            .build();
    cases.add(
        new CorpusCase(
            "java-duplicate-id-first",
            "first request of a reused requestId",
            Sender.JAVA,
            List.of(new CorpusCase.Send(requests, dupTenant.getBytes(UTF_8), bytes(first))),
            succeeded()));
    cases.add(
        new CorpusCase(
            dupTenant,
            "duplicate requestId with a different body",
            Sender.JAVA,
            List.of(new CorpusCase.Send(requests, dupTenant.getBytes(UTF_8), bytes(second))),
            dlq("already used by a different request")));

    // Other topics the broker reads.
    cases.add(
        CorpusCase.of(
            "java-outcome-random",
            "random bytes on aibroker.outcomes",
            Sender.JAVA,
            topics.outcomes(),
            "java-outcome-random".getBytes(UTF_8),
            randomBytes(200),
            dlq("")));
    cases.add(
        CorpusCase.of(
            "java-outcome-forged",
            "forged ProviderOutcome for a request that never existed",
            Sender.JAVA,
            topics.outcomes(),
            TENANT.getBytes(UTF_8),
            forgedOutcome("java-outcome-forged"),
            new Expected.Nothing("no request in flight with that id")));
    cases.add(
        CorpusCase.of(
            "java-tenants-random",
            "random bytes on aibroker.tenants (global table)",
            Sender.JAVA,
            topics.tenants(),
            "java-tenants-random".getBytes(UTF_8),
            randomBytes(64),
            dlq("")));
    return cases;
  }

  /** The 50 MiB prompt: Kafka refuses it (sent by its own producer with a 64 MiB request size). */
  CorpusCase fiftyMegabytePrompt() {
    return avro(
        "java-50mib-prompt",
        "50 MiB prompt (over the topic's max.message.bytes)",
        request("java-50mib-prompt").setMessages(List.of(user("z".repeat(50 << 20)))),
        new Expected.ProducerRefused("RecordTooLargeException"));
  }

  // ---- kcat
  // ---------------------------------------------------------------------------------------

  List<CorpusCase> kcatCases() {
    String requests = topics.requests();
    List<CorpusCase> cases = new ArrayList<>();
    cases.add(kcat("kcat-random-bytes", "random bytes", randomBytes(300), dlq("")));
    cases.add(kcat("kcat-empty-value", "empty value", new byte[0], dlq("")));
    cases.add(kcat("kcat-tombstone", "NULL value (kcat -Z)", null, dlq("tombstone")));
    cases.add(
        kcat(
            "kcat-json",
            "JSON text instead of Avro",
            "{\"requestId\":\"k1\",\"tenantId\":\"acme\",\"task\":\"CHAT\"}".getBytes(UTF_8),
            dlq("")));
    byte[] wrongMagic = bytes(request("kcat-wrong-magic").build());
    wrongMagic[0] = 0x7f;
    cases.add(kcat("kcat-wrong-magic", "wrong magic byte (0x7f)", wrongMagic, dlq("magic")));
    byte[] unknownId = bytes(request("kcat-unknown-schema-id").build());
    unknownId[1] = 0x7e;
    cases.add(kcat("kcat-unknown-schema-id", "unknown schema id", unknownId, dlq("schema")));
    byte[] whole = bytes(request("kcat-truncated").build());
    cases.add(
        kcat(
            "kcat-truncated",
            "truncated Avro (last 10 bytes missing)",
            Arrays.copyOf(whole, whole.length - 10),
            dlq("")));
    cases.add(
        CorpusCase.of(
            "kcat-valid",
            "a valid request written by kcat (control: SUCCEEDED)",
            Sender.KCAT,
            requests,
            TENANT.getBytes(UTF_8),
            bytes(request("kcat-valid").build()),
            succeeded()));
    cases.add(
        CorpusCase.of(
            "kcat-control-chars-prompt",
            "control characters and NULs in a prompt (valid text)",
            Sender.KCAT,
            requests,
            TENANT.getBytes(UTF_8),
            bytes(
                request("kcat-control-chars-prompt")
                    .setMessages(List.of(user("a\u0000b\u0007c\u001b[2Jd\r\ne\u202ef")))
                    .build()),
            succeeded()));
    cases.add(
        CorpusCase.of(
            "kcat-outcome-json",
            "JSON on aibroker.outcomes",
            Sender.KCAT,
            topics.outcomes(),
            "kcat-outcome-json".getBytes(UTF_8),
            "{\"requestId\":\"x\"}".getBytes(UTF_8),
            dlq("")));
    return cases;
  }

  // ---- Python (sent by the script; only declared here)
  // --------------------------------------------

  static List<CorpusCase> pythonCases() {
    List<CorpusCase> cases = new ArrayList<>();
    cases.add(py("py-valid", "valid AvroProducer request (control)", succeeded()));
    cases.add(
        py("py-nan-temperature", "temperature NaN", rejected(INVALID_REQUEST, "temperature")));
    cases.add(
        py(
            "py-infinite-temperature",
            "temperature +Infinity",
            rejected(INVALID_REQUEST, "temperature")));
    cases.add(py("py-negative-max-tokens", "maxTokens -5", rejected(INVALID_REQUEST, "maxTokens")));
    cases.add(py("py-int-max-tokens", "maxTokens 2^31-1", rejected(INVALID_REQUEST, "maxTokens")));
    cases.add(
        py(
            "py-control-chars-tenant",
            "NUL, ANSI escape and CRLF in tenantId",
            rejected(INVALID_REQUEST, "tenantId may only contain")));
    cases.add(
        py(
            "py-10000-char-tenant",
            "10,000-character tenantId",
            rejected(INVALID_REQUEST, "tenantId is 10000 characters")));
    cases.add(
        py("py-empty-tenant", "empty tenantId", rejected(INVALID_REQUEST, "tenantId is required")));
    cases.add(
        py(
            "py-sql-injection-request-id",
            "SQL injection in requestId",
            rejected(INVALID_REQUEST, "requestId may only contain")));
    cases.add(
        py(
            "py-shell-injection-user",
            "shell injection in userId",
            rejected(INVALID_REQUEST, "userId may only contain")));
    cases.add(
        py("py-json-injection-tag", "JSON injection in a tag value (kept verbatim)", succeeded()));
    cases.add(py("py-unknown-model", "unknown model", rejected(UNKNOWN_MODEL, "gpt-17-ultra")));
    cases.add(
        py(
            "py-unknown-enum-symbol",
            "Task symbol TRANSLATE from a newer writer schema",
            dlq("TRANSLATE")));
    cases.add(py("py-random-bytes", "1 KiB of bytes via the plain Producer", dlq("")));
    cases.add(py("py-json-not-avro", "JSON via the plain Producer", dlq("")));
    return cases;
  }

  // ---- helpers
  // ------------------------------------------------------------------------------------

  InferenceRequest.Builder request(String id) {
    return InferenceRequest.newBuilder()
        .setRequestId(id)
        .setTenantId(TENANT)
        .setTask(Task.CHAT)
        .setModel("chat-default")
        .setMessages(List.of(user("corpus " + id)))
        .setMetadata(Map.of("corpus-case", id))
        .setCreatedAt(now);
  }

  private static ChatMessage user(String text) {
    return new ChatMessage("user", text, null);
  }

  private static GenerationParams params(Integer maxTokens, Double temperature, Double topP) {
    return GenerationParams.newBuilder()
        .setMaxTokens(maxTokens)
        .setTemperature(temperature)
        .setTopP(topP)
        .build();
  }

  byte[] bytes(InferenceRequest request) {
    return serdes.requests().serializer().serialize(topics.requests(), request);
  }

  private CorpusCase raw(String id, String kind, byte[] value, Expected expected) {
    return CorpusCase.of(
        id, kind, Sender.JAVA, topics.requests(), id.getBytes(UTF_8), value, expected);
  }

  private CorpusCase avro(
      String id, String kind, InferenceRequest.Builder request, Expected expected) {
    InferenceRequest built = request.build();
    return CorpusCase.of(
        id,
        kind,
        Sender.JAVA,
        topics.requests(),
        built.getTenantId().getBytes(UTF_8),
        bytes(built),
        expected);
  }

  private CorpusCase kcat(String id, String kind, byte[] value, Expected expected) {
    return CorpusCase.of(
        id, kind, Sender.KCAT, topics.requests(), id.getBytes(UTF_8), value, expected);
  }

  private static CorpusCase py(String id, String kind, Expected expected) {
    return new CorpusCase(id, kind, Sender.PYTHON, List.of(), expected);
  }

  private static Expected rejected(ReasonCode reason, String message) {
    return new Expected.Result(REJECTED, reason, message);
  }

  private static Expected succeeded() {
    return new Expected.Result(SUCCEEDED, null, null);
  }

  private static Expected dlq(String cause) {
    return new Expected.DeadLetter(cause);
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    bytes[0] = (byte) 0x9c; // never a valid magic byte
    return bytes;
  }

  /** The first two strings and two null unions of a request, as raw Avro. */
  private static byte[] idPrefix(String id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      e.writeString(id);
      e.writeString(TENANT);
      e.writeIndex(0);
      e.writeIndex(0);
      e.flush();
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    return out.toByteArray();
  }

  private static void writeRaw(BinaryEncoder e, byte[] prefix, int... tail) {
    try {
      e.writeFixed(prefix);
      for (int b : tail) {
        e.writeFixed(new byte[] {(byte) b});
      }
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
  }

  /** The wire-format header (magic byte, schema id) of a valid record, then a crafted body. */
  private static byte[] crafted(byte[] validRecord, Consumer<BinaryEncoder> body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(validRecord, 0, 5);
    BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
    body.accept(e);
    try {
      e.flush();
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    return out.toByteArray();
  }

  /** A request serialized with "@@" somewhere, then those two bytes made invalid UTF-8. */
  private byte[] invalidUtf8(InferenceRequest.Builder request) {
    byte[] bytes = bytes(request.build());
    for (int i = 5; i < bytes.length - 1; i++) {
      if (bytes[i] == '@' && bytes[i + 1] == '@') {
        bytes[i] = (byte) 0xC3;
        bytes[i + 1] = 0x28;
        return bytes;
      }
    }
    throw new IllegalStateException("no @@ marker");
  }

  private byte[] usageEventBytes() {
    UsageEvent event =
        UsageEvent.newBuilder()
            .setEventId("java-wrong-schema")
            .setRequestId("java-wrong-schema")
            .setTenantId(TENANT)
            .setModel("chat-default")
            .setProvider("simulated")
            .setProviderModel("sim-chat-1")
            .setInputTokens(1)
            .setOutputTokens(1)
            .setCost(BigDecimal.ZERO)
            .setPriceVersion("x")
            .setCacheHit(false)
            .setSavedCost(BigDecimal.ZERO)
            .setStatus(ResultStatus.SUCCEEDED)
            .setOccurredAt(now)
            .build();
    // Written under the usage topic's own subject, so the schema id is a real, registered one.
    return serdes.usage().serializer().serialize(topics.usage(), event);
  }

  private byte[] forgedOutcome(String requestId) {
    ProviderOutcome outcome =
        ProviderOutcome.newBuilder()
            .setRequestId(requestId)
            .setTenantId(TENANT)
            .setRoute(new Route("simulated", "local", "sim-chat-1", "standard", null))
            .setSuccess(true)
            .setCompletedAt(now)
            .build();
    return serdes.outcomes().serializer().serialize(topics.outcomes(), outcome);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
