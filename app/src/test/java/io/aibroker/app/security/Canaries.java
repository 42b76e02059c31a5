package io.aibroker.app.security;

/**
 * Canary secrets and prompts. Each contains {@link #MARKER}; the build scans every test log file
 * (target/test-logs/*.log of every module) for it and fails if any line has it (the
 * scan-test-logs-for-canaries execution in the parent pom, whose property aibroker.canary.marker
 * must equal {@link #MARKER}).
 */
final class Canaries {

  /** What every canary contains. */
  static final String MARKER = "cn7ry-q8x";

  static final String HTTP_API_KEY = "sk-" + MARKER + "-http-api-key";
  static final String UNKNOWN_HTTP_API_KEY = "sk-" + MARKER + "-unknown-http-key";
  static final String AWS_SECRET_ACCESS_KEY = MARKER + "-aws-secret-access-key";
  static final String BEDROCK_API_KEY = MARKER + "-bedrock-api-key";
  static final String AZURE_API_KEY = MARKER + "-azure-api-key";
  static final String CLOUDFLARE_TOKEN = MARKER + "-cloudflare-token";
  static final String SASL_PASSWORD = MARKER + "-sasl-password";
  static final String PROMPT = "Summarize the merger memo " + MARKER + "-prompt please";
  static final String OUTPUT = "The merger memo says " + MARKER + "-output";

  private Canaries() {}
}
