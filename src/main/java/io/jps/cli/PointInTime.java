package io.jps.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --since} and {@code --until}: an ISO-8601 instant ({@code 2026-12-01T10:00:00Z}) or a duration ago ({@code PT2H}). */
final class PointInTime implements ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            return value.startsWith("P") || value.startsWith("p") ? Instant.now().minus(Duration.parse(value)) : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is neither an ISO-8601 instant (2026-12-01T10:00:00Z) nor a duration ago (PT2H)");
        }
    }
}
