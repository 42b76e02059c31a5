package io.aibroker.connector;

/** How long a provider keeps a cached prompt prefix, as a request asks for it. */
public enum CacheLifetime {
  /** The providers' default, about five minutes from the last use. */
  FIVE_MINUTES,
  /** One hour, where the provider offers it (billed higher when written). */
  ONE_HOUR
}
