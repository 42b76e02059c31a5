package io.aibroker.app;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * A log4j2 appender on the root logger that keeps every event logged while it is open, as one line
 * of logger name, message and any exception (with causes), for tests that look for what must, or
 * must never, be logged.
 */
final class LogCapture implements AutoCloseable {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final AbstractAppender appender;
  private final LoggerContext context;

  private LogCapture() {
    context = (LoggerContext) LogManager.getContext(false);
    appender =
        new AbstractAppender(
            "capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            StringBuilder line =
                new StringBuilder(event.getLoggerName())
                    .append(' ')
                    .append(event.getLevel())
                    .append(' ')
                    .append(event.getMessage().getFormattedMessage());
            for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
              line.append(" | ").append(t);
            }
            lines.add(line.toString());
          }
        };
    appender.start();
    context.getConfiguration().addAppender(appender);
    // Loggers are additive up to the root, so the root sees every event that passed its logger's
    // level, whatever the root's own level.
    context.getConfiguration().getRootLogger().addAppender(appender, null, null);
    context.updateLoggers();
  }

  /** Starts capturing. */
  static LogCapture start() {
    return new LogCapture();
  }

  /** Every line captured so far. */
  List<String> lines() {
    return List.copyOf(lines);
  }

  /** The lines that contain {@code text}. */
  List<String> linesContaining(String text) {
    return lines.stream().filter(l -> l.contains(text)).toList();
  }

  @Override
  public void close() {
    context.getConfiguration().getRootLogger().removeAppender(appender.getName());
    context.updateLoggers();
    appender.stop();
  }
}
