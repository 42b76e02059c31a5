package io.aibroker.connector.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A streamed (chunked) response being written by a {@link FakeProviderServer}. Every write is
 * flushed at once so the client sees each event as its own chunk.
 */
public final class FakeStream {

  private final OutputStream body;
  private final FakeProviderServer.CutStyle cutStyle;

  FakeStream(OutputStream body, FakeProviderServer.CutStyle cutStyle) {
    this.body = body;
    this.cutStyle = cutStyle;
  }

  /** Writes and flushes raw bytes (e.g. a binary event-stream frame). */
  public FakeStream write(byte[] bytes) throws IOException {
    body.write(bytes);
    body.flush();
    return this;
  }

  /** Writes and flushes UTF-8 text (e.g. an SSE event {@code data: {...}\n\n}). */
  public FakeStream write(String text) throws IOException {
    return write(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Ends the response properly (the terminating zero-length chunk). */
  public void finish() throws IOException {
    body.close();
  }

  /**
   * Stops the stream before its final frame, the way the server's {@link
   * FakeProviderServer#cutStyle(FakeProviderServer.CutStyle)} says: drops the connection
   * mid-response (a provider or proxy died; the default), or ends the HTTP response properly but
   * early (a proxy gave up; some SDKs then report a normal end of stream). Always throws; let the
   * exception propagate out of {@link FakeProviderServer#respond}.
   */
  public void cut() {
    if (cutStyle == FakeProviderServer.CutStyle.END_RESPONSE_EARLY) {
      try {
        body.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      throw new ResponseEnded();
    }
    throw new ConnectionCut();
  }

  /** Unwinds the server's handler after the response was ended on purpose. */
  static final class ResponseEnded extends RuntimeException {
    ResponseEnded() {
      super("fake provider ended the response early", null, false, false);
    }
  }

  /** Unwinds the server's handler so it closes the socket without writing the final chunk. */
  static final class ConnectionCut extends RuntimeException {
    ConnectionCut() {
      super("fake provider cut the connection", null, false, false);
    }
  }
}
