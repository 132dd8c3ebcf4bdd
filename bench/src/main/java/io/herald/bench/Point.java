package io.herald.bench;

/** One point of a {@link Series}. */
public record Point(double x, double y) {}
