package io.aibroker.connector.bedrock;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Batch inference settings of the Bedrock connector: where job files go and which role Bedrock
 * assumes to read and write them. Present means batch is on:
 *
 * <pre>{@code
 * bedrock:
 *   region: us-east-1
 *   batch:
 *     input-s3-uri: s3://bucket/batch/in/
 *     output-s3-uri: s3://bucket/batch/out/
 *     role-arn: arn:aws:iam::123456789012:role/bedrock-batch
 *     timeout-hours: 24
 * }</pre>
 *
 * <p>Nested settings are not rewritten to camelCase by the app's config loader, so each takes its
 * kebab-case YAML name as an alias.
 *
 * @param endpointOverride another endpoint for the Bedrock control plane (model invocation jobs);
 *     {@code null} for Bedrock's regional one
 * @param s3EndpointOverride another S3 endpoint, addressed path-style; {@code null} for S3's
 *     regional one (virtual-hosted style)
 * @param inputS3Uri the prefix job input files are written under, {@code s3://bucket/prefix/}; a
 *     missing trailing slash is added
 * @param outputS3Uri the prefix Bedrock writes job output under, {@code s3://bucket/prefix/}
 * @param roleArn the IAM service role Bedrock assumes to read the input and write the output
 * @param timeoutHours how long a job may run before it expires, {@value #MIN_TIMEOUT_HOURS} to
 *     {@value #MAX_TIMEOUT_HOURS} (the service's limits); {@code null} or 0 for {@value
 *     #DEFAULT_TIMEOUT_HOURS}
 */
public record BedrockBatchConfig(
    @JsonAlias("endpoint-override") URI endpointOverride,
    @JsonAlias("s3-endpoint-override") URI s3EndpointOverride,
    @JsonAlias("input-s3-uri") String inputS3Uri,
    @JsonAlias("output-s3-uri") String outputS3Uri,
    @JsonAlias("role-arn") String roleArn,
    @JsonAlias("timeout-hours") Integer timeoutHours) {

  /** Job timeout when none is configured, in hours. */
  public static final int DEFAULT_TIMEOUT_HOURS = 24;

  /** The shortest job timeout Bedrock takes, in hours. */
  public static final int MIN_TIMEOUT_HOURS = 24;

  /** The longest job timeout Bedrock takes, in hours. */
  public static final int MAX_TIMEOUT_HOURS = 168;

  // CreateModelInvocationJob's roleArn pattern, partition included.
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+");

  /** Validates; normalises the S3 prefixes and the timeout. */
  public BedrockBatchConfig {
    if (endpointOverride != null) {
      BedrockConfig.validateEndpoint("batch.endpoint-override", endpointOverride);
    }
    if (s3EndpointOverride != null) {
      BedrockConfig.validateEndpoint("batch.s3-endpoint-override", s3EndpointOverride);
    }
    inputS3Uri = S3Location.parse("batch.input-s3-uri", inputS3Uri).uri();
    outputS3Uri = S3Location.parse("batch.output-s3-uri", outputS3Uri).uri();
    Objects.requireNonNull(roleArn, "batch.role-arn is required: the role Bedrock assumes");
    roleArn = roleArn.strip();
    if (roleArn.length() > 2048 || !ROLE_ARN.matcher(roleArn).matches()) {
      throw new IllegalArgumentException(
          "batch.role-arn must be an IAM role ARN like arn:aws:iam::123456789012:role/name, was '"
              + roleArn
              + "'");
    }
    timeoutHours = timeoutHours == null || timeoutHours == 0 ? DEFAULT_TIMEOUT_HOURS : timeoutHours;
    if (timeoutHours < MIN_TIMEOUT_HOURS || timeoutHours > MAX_TIMEOUT_HOURS) {
      throw new IllegalArgumentException(
          "batch.timeout-hours must be "
              + MIN_TIMEOUT_HOURS
              + " to "
              + MAX_TIMEOUT_HOURS
              + ", was "
              + timeoutHours);
    }
  }

  /** Batch with Bedrock's and S3's regional endpoints and the default timeout. */
  public static BedrockBatchConfig of(String inputS3Uri, String outputS3Uri, String roleArn) {
    return new BedrockBatchConfig(null, null, inputS3Uri, outputS3Uri, roleArn, null);
  }

  /** Where job input files go. */
  S3Location input() {
    return S3Location.parse("batch.input-s3-uri", inputS3Uri);
  }

  /** Where Bedrock writes job output. */
  S3Location output() {
    return S3Location.parse("batch.output-s3-uri", outputS3Uri);
  }

  /** How long a job may run: the completion window. */
  Duration timeout() {
    return Duration.ofHours(timeoutHours);
  }
}
