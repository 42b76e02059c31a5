/**
 * Helpers the tests of every aibroker module share; used in test scope only, and depending on no
 * other aibroker module.
 */
package io.aibroker.testing;
