package io.aibroker.app.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;

/**
 * Reads API request bodies as JSON objects within bounds, so that no body costs the server more
 * than its size: nesting depth, number and string lengths are limited, and the whole document to
 * {@code http.max-body-bytes} (the server already cuts the body off there). A body that cannot be
 * read says why, as the status to answer: 413 for too large, 408 for too slow, 400 otherwise.
 */
final class RequestBodies {

  /** Deep enough for any chat request (messages, content parts, tool schemas). */
  static final int MAX_NESTING_DEPTH = 64;

  /** A double needs 25 characters at most; far longer numbers are only expensive to parse. */
  static final int MAX_NUMBER_LENGTH = 100;

  /** Why a body was not accepted. */
  static final class Rejected extends Exception {
    private final int status;
    private final String code;

    Rejected(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }

    /** The HTTP status to answer. */
    int status() {
      return status;
    }

    /** The OpenAI-style error code. */
    String code() {
      return code;
    }
  }

  private final ObjectMapper json;

  /** Reads bodies of at most {@code maxBodyBytes}. */
  RequestBodies(long maxBodyBytes) {
    StreamReadConstraints constraints =
        StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxBodyBytes))
            .maxDocumentLength(maxBodyBytes)
            .build();
    this.json =
        JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build())
            .build();
  }

  /** The constraints bodies are parsed under. */
  StreamReadConstraints constraints() {
    return json.getFactory().streamReadConstraints();
  }

  /**
   * The body as a JSON object.
   *
   * @throws Rejected if the body is too large, arrives too slowly, or is not a JSON object
   */
  JsonNode readObject(InputStream body) throws Rejected {
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (StreamConstraintsException e) {
      if (e.getOriginalMessage().startsWith("Document length")) {
        throw tooLarge();
      }
      throw new Rejected(
          400, "invalid_json", "The body exceeds a JSON limit: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw notAnObject();
    } catch (IOException e) {
      throw unreadable(e);
    }
    if (node == null || !node.isObject()) {
      throw notAnObject();
    }
    return node;
  }

  /** Maps the failure of the body's transfer (cut off by the server, timed out) to a status. */
  private static Rejected unreadable(IOException failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpException http) {
        return switch (http.getCode()) {
          case 413 -> tooLarge();
          case 408 -> tooSlow();
          default ->
              new Rejected(http.getCode(), JsonErrorHandler.code(http.getCode()), http.getReason());
        };
      }
      if (cause instanceof TimeoutException) {
        return tooSlow();
      }
    }
    return new Rejected(400, "invalid_request", "The body could not be read.");
  }

  private static Rejected tooLarge() {
    return new Rejected(413, "request_too_large", "The request body is too large.");
  }

  private static Rejected tooSlow() {
    return new Rejected(408, "request_timeout", "The request body did not arrive in time.");
  }

  private static Rejected notAnObject() {
    return new Rejected(400, "invalid_json", "The body is not a JSON object.");
  }
}
