package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;

/**
 * A request's two fingerprints: {@code full} tells a redelivery of a requestId from another request
 * under the same id; {@code content} tells a true duplicate under an idempotency key from a request
 * that reuses the key for other work.
 *
 * @param full {@link RequestFingerprint#of}
 * @param content {@link RequestFingerprint#ofContent}
 */
record Fingerprints(String full, String content) {

  static Fingerprints of(InferenceRequest request) {
    return new Fingerprints(RequestFingerprint.of(request), RequestFingerprint.ofContent(request));
  }
}
