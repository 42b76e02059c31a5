package io.aibroker.connector.batch;

import java.util.Map;
import java.util.Objects;

/**
 * A job as the provider knows it: enough to poll it and read its results again after a restart, so
 * it is recorded as is.
 *
 * @param key aibroker's id of the job ({@link BatchSubmission#key()})
 * @param providerJobId the provider's id (Azure batch id, Bedrock job ARN, Workers AI request id)
 * @param attributes whatever else the connector needs to find the results (input file id, output S3
 *     URI, model, line-id mapping); strings only, since it is stored in a record
 */
public record BatchJob(String key, String providerJobId, Map<String, String> attributes) {

  /** Requires the ids; copies the attributes. */
  public BatchJob {
    Objects.requireNonNull(key, "key");
    if (providerJobId == null || providerJobId.isBlank()) {
      throw new IllegalArgumentException("providerJobId must not be blank");
    }
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /** A job with no attributes. */
  public static BatchJob of(String key, String providerJobId) {
    return new BatchJob(key, providerJobId, Map.of());
  }
}
