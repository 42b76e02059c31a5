package io.aibroker.app.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an enum option written in lower case on the command line ({@code --format csv}), in any
 * case really, naming the valid values when it does not match. Subclass it per enum, since picocli
 * instantiates converters by class.
 *
 * @param <E> the enum
 */
abstract class LowerCaseEnumConverter<E extends Enum<E>>
    implements ITypeConverter<E>, Iterable<String> {

  private final Class<E> type;

  /** A converter for the given enum. */
  LowerCaseEnumConverter(Class<E> type) {
    this.type = type;
  }

  @Override
  public E convert(String value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value.strip())) {
        return constant;
      }
    }
    throw new TypeConversionException("'" + value + "' is not one of " + String.join(", ", this));
  }

  /** The values in lower case, for picocli's {@code ${COMPLETION-CANDIDATES}}. */
  @Override
  public Iterator<String> iterator() {
    return Arrays.stream(type.getEnumConstants())
        .map(c -> c.name().toLowerCase(Locale.ROOT))
        .iterator();
  }
}
