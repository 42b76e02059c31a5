package io.aibroker.connector;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.time.Duration;

/**
 * Jackson module for connector config records: reads {@link Duration} with {@link Durations#parse}
 * ({@code 20ms} or {@code PT0.02S}) and writes it as ISO-8601. Register it on any mapper that
 * builds config records; {@link Connectors} does.
 */
public final class ConnectorConfigModule extends SimpleModule {

  /** Creates the module. */
  public ConnectorConfigModule() {
    super("aibroker-connector-config");
    addDeserializer(Duration.class, new DurationDeserializer());
    addSerializer(Duration.class, new DurationSerializer());
  }

  private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {

    DurationDeserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_STRING) {
        String text = parser.getText();
        try {
          return Durations.parse(text);
        } catch (IllegalArgumentException e) {
          return (Duration) context.handleWeirdStringValue(Duration.class, text, e.getMessage());
        }
      }
      if (token == JsonToken.VALUE_NUMBER_INT && parser.getLongValue() == 0) {
        return Duration.ZERO;
      }
      if (token.isNumeric()) {
        // A bare number is ambiguous (seconds? millis?), so make the author say.
        return (Duration)
            context.handleWeirdNumberValue(
                Duration.class,
                parser.getNumberValue(),
                "a duration needs a unit, e.g. '"
                    + parser.getText()
                    + "ms' or '"
                    + parser.getText()
                    + "s'");
      }
      return (Duration) context.handleUnexpectedToken(Duration.class, parser);
    }
  }

  private static final class DurationSerializer extends StdScalarSerializer<Duration> {

    DurationSerializer() {
      super(Duration.class);
    }

    @Override
    public void serialize(Duration value, JsonGenerator generator, SerializerProvider provider)
        throws IOException {
      generator.writeString(value.toString());
    }
  }
}
