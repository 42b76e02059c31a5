package io.aibroker.connector.bedrock;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClientBuilder;
import software.amazon.awssdk.services.bedrock.auth.scheme.BedrockAuthSchemeProvider;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.auth.scheme.BedrockRuntimeAuthSchemeProvider;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * How the client authenticates: a Bedrock API key sent as a bearer token, or SigV4 with AWS
 * credentials. Resolved once, here, rather than left to the SDK's own environment lookup, so that
 * the choice is explicit and testable and a stray {@code AWS_BEARER_TOKEN_BEDROCK} cannot switch a
 * SigV4 client to bearer behind our back.
 *
 * <p>Batch inference also writes and reads S3, which takes no Bedrock API key: with an API key, S3
 * is signed with the storage credentials given, else with the default AWS credentials chain.
 */
final class BedrockCredentials {

  /** Environment variable the SDK and AWS tools read a Bedrock API key from. */
  static final String API_KEY_ENV = "AWS_BEARER_TOKEN_BEDROCK";

  /** System property the SDK reads a Bedrock API key from. */
  static final String API_KEY_PROPERTY = "aws.bearerTokenBedrock";

  // Auth scheme names as the SDK's preference list spells them (scheme ids without namespace).
  private static final String BEARER_SCHEME = "httpBearerAuth";
  private static final String SIGV4_SCHEME = "sigv4";

  private final String bearerToken;
  private final AwsCredentialsProvider credentials;
  private final boolean ownsCredentials;
  private AwsCredentialsProvider storageCredentials;
  private boolean ownsStorageCredentials;

  private BedrockCredentials(
      String bearerToken, AwsCredentialsProvider credentials, boolean ownsCredentials) {
    this.bearerToken = bearerToken;
    this.credentials = credentials;
    this.ownsCredentials = ownsCredentials;
    this.storageCredentials = credentials;
  }

  /**
   * Authenticate Bedrock calls with a Bedrock API key and S3 requests with {@code storage}; the
   * caller keeps ownership of them.
   */
  static BedrockCredentials apiKey(String apiKey, AwsCredentialsProvider storage) {
    BedrockCredentials result = apiKey(apiKey);
    result.storageCredentials = Objects.requireNonNull(storage, "storage");
    return result;
  }

  /** Authenticate with a Bedrock API key. */
  static BedrockCredentials apiKey(String apiKey) {
    Objects.requireNonNull(apiKey, "apiKey");
    return new BedrockCredentials(apiKey, null, false);
  }

  /** Sign with SigV4 using {@code credentials}; the caller keeps ownership of them. */
  static BedrockCredentials sigV4(AwsCredentialsProvider credentials) {
    return new BedrockCredentials(null, Objects.requireNonNull(credentials, "credentials"), false);
  }

  /**
   * The configured API key; else {@value #API_KEY_PROPERTY} or {@value #API_KEY_ENV}; else SigV4
   * with the default credentials chain (which is lazy: no lookup happens until the first call).
   *
   * @param environment reads a system property or environment variable by name (tests pass a map)
   */
  static BedrockCredentials resolve(BedrockConfig config, UnaryOperator<String> environment) {
    if (config.apiKey() != null) {
      return apiKey(config.apiKey());
    }
    Optional<String> fromEnvironment =
        Optional.ofNullable(environment.apply(API_KEY_PROPERTY))
            .or(() -> Optional.ofNullable(environment.apply(API_KEY_ENV)))
            .filter(key -> !key.isBlank());
    return fromEnvironment
        .map(BedrockCredentials::apiKey)
        .orElseGet(
            () -> new BedrockCredentials(null, DefaultCredentialsProvider.builder().build(), true));
  }

  /** Reads system properties first, then the process environment. */
  static String systemEnvironment(String name) {
    String property = System.getProperty(name);
    return property != null ? property : System.getenv(name);
  }

  /** Whether this authenticates with an API key. */
  boolean usesApiKey() {
    return bearerToken != null;
  }

  /** The API key, if any, so error messages can be scrubbed of it. */
  Optional<String> secret() {
    return Optional.ofNullable(bearerToken);
  }

  /** Sets the identity and the matching auth scheme on {@code builder}. */
  void applyTo(BedrockRuntimeAsyncClientBuilder builder) {
    if (bearerToken != null) {
      String token = bearerToken;
      builder
          .tokenProvider(StaticTokenProvider.create(() -> token))
          .authSchemeProvider(
              BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of(BEARER_SCHEME)));
    } else {
      builder
          .credentialsProvider(credentials)
          .authSchemeProvider(
              BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of(SIGV4_SCHEME)));
    }
  }

  /** Sets the identity and the matching auth scheme on a control-plane client builder. */
  void applyTo(BedrockAsyncClientBuilder builder) {
    if (bearerToken != null) {
      String token = bearerToken;
      builder
          .tokenProvider(StaticTokenProvider.create(() -> token))
          .authSchemeProvider(BedrockAuthSchemeProvider.defaultProvider(List.of(BEARER_SCHEME)));
    } else {
      builder
          .credentialsProvider(credentials)
          .authSchemeProvider(BedrockAuthSchemeProvider.defaultProvider(List.of(SIGV4_SCHEME)));
    }
  }

  /** Sets the AWS credentials S3 requests are signed with (see the class comment). */
  void applyTo(S3AsyncClientBuilder builder) {
    builder.credentialsProvider(storageCredentials());
  }

  private synchronized AwsCredentialsProvider storageCredentials() {
    if (storageCredentials == null) {
      // Lazy like the chain itself: a connector without batch never builds it.
      storageCredentials = DefaultCredentialsProvider.builder().build();
      ownsStorageCredentials = true;
    }
    return storageCredentials;
  }

  /** Closes the default credentials chains we created. */
  synchronized void close() {
    if (ownsCredentials && credentials instanceof SdkAutoCloseable closeable) {
      closeable.close();
    }
    if (ownsStorageCredentials && storageCredentials instanceof SdkAutoCloseable closeable) {
      closeable.close();
    }
  }

  @Override
  public String toString() {
    return usesApiKey() ? "BedrockCredentials[apiKey=***]" : "BedrockCredentials[sigv4]";
  }
}
