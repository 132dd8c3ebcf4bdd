package io.herald.core.config;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.time.Duration;

/** Checks {@link DurationRange}; its bounds are parsed once, by the same rules as the YAML's durations. */
public final class DurationRangeValidator implements ConstraintValidator<DurationRange, Duration> {

    private Duration min;
    private Duration max;
    private String missing;
    private String outside;

    @Override
    public void initialize(DurationRange range) {
        min = bound(range.min());
        max = bound(range.max());
        missing = "is missing; write e.g. " + range.example();
        // Formatted back, so a bound reads the same however the annotation wrote it (and as the YAML would).
        outside = "must be between " + Durations.format(min) + " and " + Durations.format(max);
    }

    @Override
    public boolean isValid(Duration value, ConstraintValidatorContext context) {
        if (value != null && value.compareTo(min) >= 0 && value.compareTo(max) <= 0) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(value == null ? missing : outside)
                .addConstraintViolation();
        return false;
    }

    private static Duration bound(String text) {
        return Durations.parse(text)
                .orElseThrow(() -> new IllegalArgumentException(
                        "@DurationRange bound '" + text + "' is not a duration such as 30s"));
    }
}
