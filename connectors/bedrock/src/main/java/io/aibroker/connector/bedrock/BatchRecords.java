package io.aibroker.connector.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.batch.BatchSubmission;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A batch job's input file: one JSONL line per call, {@code {"recordId": ..., "modelInput": ...}}.
 * Bedrock's record ids are short (11 alphanumeric characters), so line {@code i} gets {@code
 * R0000000001}-style id {@code i + 1} and the broker's request ids are kept apart, in line order.
 */
final class BatchRecords {

  /** Most lines a job can have: the record id has ten digits. */
  static final int MAX_LINES = 999_999_999;

  private static final Pattern RECORD_ID = Pattern.compile("R\\d{10}");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private BatchRecords() {}

  /** The record id of line {@code index} (0-based): {@code R0000000001} for the first. */
  static String recordId(int index) {
    if (index < 0 || index >= MAX_LINES) {
      throw new IllegalArgumentException("line index out of range: " + index);
    }
    return String.format("R%010d", index + 1);
  }

  /**
   * The 0-based line index a record id stands for; empty for an id not made by {@link #recordId}.
   */
  static OptionalInt lineIndex(String recordId) {
    if (recordId == null || !RECORD_ID.matcher(recordId).matches()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(recordId.substring(1)) - 1);
  }

  /**
   * The input file of {@code submission}: UTF-8 JSONL, one line per call in order.
   *
   * @throws io.aibroker.connector.InvalidRequestException if the model family or a call is not
   *     supported: the whole job is refused, since its lines share the model
   */
  static byte[] jsonl(BatchSubmission submission) {
    BatchModelFamily family = BatchModelFamily.of(submission.providerModel());
    ByteArrayOutputStream out = new ByteArrayOutputStream(submission.calls().size() * 256);
    List<ProviderCall> calls = submission.calls();
    try {
      for (int i = 0; i < calls.size(); i++) {
        ProviderCall call = calls.get(i);
        BatchModelFamily.requireChat(call);
        ObjectNode line = JSON.createObjectNode();
        line.put("recordId", recordId(i));
        line.set("modelInput", family.input(call));
        JSON.writeValue(out, line);
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The request ids of the lines, in line order, as one compact string (a JSON array). */
  static String encodeRequestIds(BatchSubmission submission) {
    try {
      return JSON.writeValueAsString(
          submission.calls().stream().map(ProviderCall::requestId).toList());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads {@link #encodeRequestIds}'s string back.
   *
   * @throws IllegalArgumentException if it is not a JSON array of strings
   */
  static List<String> decodeRequestIds(String encoded) {
    if (encoded == null) {
      throw new IllegalArgumentException("the job has no request ids");
    }
    List<String> ids;
    try {
      ids = JSON.readValue(encoded, STRINGS);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the job's request ids are unreadable", e);
    }
    if (ids == null || ids.contains(null)) {
      throw new IllegalArgumentException("the job's request ids are incomplete");
    }
    return List.copyOf(ids);
  }
}
