package io.herald.core.config;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.hibernate.validator.constraints.Range;

/** A TCP port to listen on; 0 lets the system pick a free one. */
@Documented
@Range(min = 0, max = 65_535)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Port {

    String message() default "must be a TCP port between 0 and 65535 (0 picks a free one)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
