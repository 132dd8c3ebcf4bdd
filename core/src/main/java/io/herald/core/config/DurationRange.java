package io.herald.core.config;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A duration key's range, written as in the YAML ({@code 500ms}, {@code 30s}, {@code 12h}), both ends included. A
 * missing value is a problem too ("is missing; write e.g. 30s"): every duration has a default, so only a YAML
 * {@code null} or an emptied variable gets there.
 */
@Documented
@Constraint(validatedBy = DurationRangeValidator.class)
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
public @interface DurationRange {

    /** The shortest allowed, e.g. {@code 0s} or {@code 1ms}. */
    String min();

    /** The longest allowed, e.g. {@code 12h}. */
    String max();

    /** The example the "missing" message gives. */
    String example() default "30s";

    /** Unused: the validator words its own messages from the parsed bounds. */
    String message() default "out of range";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
