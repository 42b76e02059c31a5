/**
 * Test support shared by every connector module (use it in test scope): {@link
 * io.aibroker.connector.testing.FakeProviderServer}, a local HTTP(S) server each connector extends
 * to speak its provider's wire format for every {@link io.aibroker.connector.testing.FakeScenario},
 * and {@link io.aibroker.connector.testing.ConnectorConformanceSuite}, the one test suite every
 * connector passes against its fake.
 */
package io.aibroker.connector.testing;
