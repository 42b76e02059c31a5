package io.aibroker.connector.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made once per JVM with the
 * JDK's own {@code keytool}: the JDK has no public API to create certificates, and running the tool
 * avoids both internal {@code sun.security} classes and a crypto library dependency.
 */
final class SelfSignedTls {

  private static final char[] PASSWORD = "fake-provider".toCharArray();
  private static final String ALIAS = "fake-provider";

  private final SSLContext serverContext;
  private final SSLContext clientContext;
  private final X509Certificate certificate;
  private final KeyStore trustStore;
  private final X509TrustManager trustManager;

  private SelfSignedTls() throws IOException, GeneralSecurityException {
    KeyStore keyStore = generate();
    certificate = (X509Certificate) keyStore.getCertificate(ALIAS);

    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD);
    serverContext = SSLContext.getInstance("TLS");
    serverContext.init(keys.getKeyManagers(), null, null);

    trustStore = KeyStore.getInstance("PKCS12");
    trustStore.load(null, null);
    trustStore.setCertificateEntry(ALIAS, certificate);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trustStore);
    trustManager = x509(trust.getTrustManagers());
    clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, new TrustManager[] {trustManager}, null);
  }

  /** The one instance; generating a key pair takes a JVM start, so do it once. */
  static SelfSignedTls get() {
    return Holder.INSTANCE;
  }

  SSLContext serverContext() {
    return serverContext;
  }

  SSLContext clientContext() {
    return clientContext;
  }

  X509Certificate certificate() {
    return certificate;
  }

  KeyStore trustStore() {
    return trustStore;
  }

  X509TrustManager trustManager() {
    return trustManager;
  }

  private static KeyStore generate() throws IOException, GeneralSecurityException {
    Path dir = Files.createTempDirectory("fake-provider-tls");
    Path file = dir.resolve("server.p12");
    try {
      String keytool =
          Path.of(System.getProperty("java.home"), "bin", isWindows() ? "keytool.exe" : "keytool")
              .toString();
      Process process =
          new ProcessBuilder(
                  List.of(
                      keytool,
                      "-genkeypair",
                      "-alias",
                      ALIAS,
                      "-keyalg",
                      "RSA",
                      "-keysize",
                      "2048",
                      "-validity",
                      "30",
                      "-dname",
                      "CN=localhost",
                      "-ext",
                      "SAN=dns:localhost,ip:127.0.0.1",
                      "-storetype",
                      "PKCS12",
                      "-keystore",
                      file.toString(),
                      "-storepass",
                      new String(PASSWORD),
                      "-keypass",
                      new String(PASSWORD),
                      "-noprompt"))
              .redirectErrorStream(true)
              .start();
      String output;
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException("keytool failed to create a test certificate: " + output);
      }
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file)) {
        keyStore.load(in, PASSWORD);
      }
      return keyStore;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while creating a test certificate", e);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("win");
  }

  private static X509TrustManager x509(TrustManager[] managers) {
    for (TrustManager manager : managers) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("no X509TrustManager");
  }

  private static final class Holder {
    static final SelfSignedTls INSTANCE;

    static {
      try {
        INSTANCE = new SelfSignedTls();
      } catch (IOException | GeneralSecurityException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }
}
