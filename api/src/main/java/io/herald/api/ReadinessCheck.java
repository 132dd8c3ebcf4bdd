package io.herald.api;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * One dependency {@code /readyz} asks about, e.g. SQS or the status store.
 *
 * @param name   shown in the answer
 * @param probe  empty when the dependency answers as it should, otherwise what is wrong; may throw
 */
public record ReadinessCheck(String name, Supplier<Optional<String>> probe) {
}
