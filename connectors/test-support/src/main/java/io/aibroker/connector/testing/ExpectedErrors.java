package io.aibroker.connector.testing;

import java.time.Duration;

/**
 * The provider's own error codes a connector must report ({@link
 * io.aibroker.connector.ProviderException#providerCode()}) for the error scenarios its {@link
 * FakeProviderServer} plays. {@code null} means the connector reports no code (or, for the retry
 * hint, no hint) and is checked as such.
 *
 * @param rateLimitCode code for {@link FakeScenario#RATE_LIMITED}, e.g. {@code ThrottlingException}
 * @param rateLimitRetryAfter the retry hint the fake sends with {@link FakeScenario#RATE_LIMITED}
 *     (usually {@link FakeReplies#RETRY_AFTER}), {@code null} if the provider sends none
 * @param serverErrorCode code for {@link FakeScenario#SERVER_ERROR}
 * @param badRequestCode code for {@link FakeScenario#BAD_REQUEST}
 * @param unauthorizedCode code for {@link FakeScenario#UNAUTHORIZED}
 * @param forbiddenCode code for {@link FakeScenario#FORBIDDEN}
 */
public record ExpectedErrors(
    String rateLimitCode,
    Duration rateLimitRetryAfter,
    String serverErrorCode,
    String badRequestCode,
    String unauthorizedCode,
    String forbiddenCode) {}
