package io.aibroker.app.cli;

import io.aibroker.connector.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations such as {@code 500ms}, {@code 30s}, {@code 2m} or ISO-8601. */
public final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (RuntimeException e) {
      throw new TypeConversionException("'" + value + "' is not a duration (try 30s or 2m)");
    }
  }
}
