package io.herald.core.config;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.hibernate.validator.HibernateValidator;

/**
 * The single-field rules declared on the configuration records' components ({@code @Range}, {@link DurationRange},
 * {@link Port}, ...), checked with Hibernate Validator and reported like every other problem: the YAML key
 * ({@code pipeline.maxInFlight}), then the message and the value given. Rules that relate two keys stay in
 * {@link ConfigValidator}.
 */
final class ConfigConstraints {

    /** Built on first use and shared: building a validator costs far more than using one. */
    private static final class Holder {
        // English whatever the machine's locale: every other message of Herald's is English. The factory
        // stays open for the life of the process: its validators need it.
        private static final ValidatorFactory FACTORY = Validation.byProvider(HibernateValidator.class)
                .configure()
                .defaultLocale(Locale.ROOT)
                .locales(Locale.ROOT)
                .buildValidatorFactory();
        private static final Validator VALIDATOR = FACTORY.getValidator();
    }

    private ConfigConstraints() {}

    /**
     * Reports every violated field rule of {@code config}'s sections and provider blocks to {@code problem} (key,
     * message), in the order the keys have in the YAML.
     */
    static void check(HeraldConfig config, BiConsumer<String, String> problem) {
        report("", Holder.VALIDATOR.validate(config), problem);
        config.providers()
                .blocks()
                .forEach((name, block) -> report("providers." + name + ".", Holder.VALIDATOR.validate(block), problem));
    }

    private static <T> void report(
            String prefix, java.util.Set<ConstraintViolation<T>> violations, BiConsumer<String, String> problem) {
        List<ConstraintViolation<T>> ordered = new ArrayList<>(violations);
        ordered.sort(Comparator.comparing(v -> documentOrder(v.getRootBeanClass(), v.getPropertyPath())));
        for (ConstraintViolation<T> v : ordered) {
            Object value = v.getInvalidValue();
            String got = value instanceof Duration d
                    ? ", got " + Durations.format(d)
                    : value instanceof Number n ? ", got " + n : "";
            problem.accept(prefix + v.getPropertyPath(), v.getMessage() + got);
        }
    }

    /** The components' positions along the path, zero-padded, so sorting the text sorts by declaration. */
    private static String documentOrder(Class<?> root, Path path) {
        StringBuilder order = new StringBuilder();
        Class<?> type = root;
        for (Path.Node node : path) {
            int index = 999;
            RecordComponent[] components = type == null ? null : type.getRecordComponents();
            if (components != null) {
                for (int i = 0; i < components.length; i++) {
                    if (components[i].getName().equals(node.getName())) {
                        index = i;
                        type = components[i].getType();
                        break;
                    }
                }
            }
            order.append(String.format(Locale.ROOT, "%03d.", index));
        }
        return order.toString();
    }
}
