package io.flowgate.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * {@code scheduleTime} in JSON: an ISO-8601 string with an offset and nothing else. A number would
 * otherwise be read as epoch seconds, and {@code 1e400} as some arbitrary instant.
 */
public class ScheduleTimeJson extends StdScalarDeserializer<OffsetDateTime> {
  private static final long serialVersionUID = 1L;

  public ScheduleTimeJson() {
    super(OffsetDateTime.class);
  }

  @Override
  public OffsetDateTime deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (!p.hasToken(JsonToken.VALUE_STRING)) {
      return (OffsetDateTime) ctxt.handleUnexpectedToken(OffsetDateTime.class, p);
    }
    try {
      return OffsetDateTime.parse(p.getText());
    } catch (DateTimeParseException e) {
      return (OffsetDateTime)
          ctxt.handleWeirdStringValue(OffsetDateTime.class, p.getText(), "not ISO-8601");
    }
  }
}
